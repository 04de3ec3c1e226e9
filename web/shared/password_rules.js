// The e-card password rules of R-W1 and R-W2, the same checks in the same order as
// src/domain/password_rules.cpp, so a cardholder sees why a password would be refused
// while typing it; tests/rules/password_cases.json is run against both. The reason
// texts are the platform's own (GET /v1/rules). The server stays the authority: it also
// refuses a password equal to a card PIN, which only it can know, and answers
// WEAK_PASSWORD with the `reason` code.

import { registerStrings } from "./i18n.js";
import { loadRules } from "./rules.js";

function isSixDigits(password) {
  return /^[0-9]{6}$/.test(password);
}

function allSame(p) {
  return [...p].every((c) => c === p[0]);
}

// Digits cannot wrap ('9' + 1 is not a digit), which keeps 890123 out of the rule.
function runOfStep(p, step) {
  for (let i = 1; i < p.length; ++i) {
    if (p.charCodeAt(i) - p.charCodeAt(i - 1) !== step) return false;
  }
  return true;
}

// The birth date sits at positions 7-14 of an 18-character ID number (YYYYMMDD); it is
// refused as YYMMDD, MMDDYY or DDMMYY.
function birthDateForms(idNumber) {
  const yy = idNumber.slice(8, 10);
  const mm = idNumber.slice(10, 12);
  const dd = idNumber.slice(12, 14);
  return [yy + mm + dd, mm + dd + yy, dd + mm + yy];
}

function knownIdNumber(idNumber) {
  return typeof idNumber === "string" && /^[0-9]{17}[0-9Xx]$/.test(idNumber);
}

// Each rule with whether `password` passes it; the ID-number rules are left out when the
// ID number is not known (a change or reset, where the page only holds masked data).
export function passwordChecks(password, idNumber) {
  const checks = [
    { rule: "six_digits", ok: isSixDigits(password) },
    { rule: "repeated_digits", ok: !(isSixDigits(password) && allSame(password)) },
    { rule: "sequential", ok: !(isSixDigits(password) && (runOfStep(password, 1) || runOfStep(password, -1))) },
  ];
  if (knownIdNumber(idNumber)) {
    checks.push({ rule: "birth_date", ok: !(isSixDigits(password) && birthDateForms(idNumber).includes(password)) });
    checks.push({ rule: "id_suffix", ok: !(isSixDigits(password) && idNumber.toUpperCase().endsWith(password)) });
  }
  return checks;
}

// The first rule broken, as the server's reason code (WEAK_PASSWORD's `reason`), or null.
export function weakPasswordReason(password, idNumber) {
  const broken = passwordChecks(password, idNumber).find((c) => !c.ok && c.rule !== "six_digits");
  return broken ? broken.rule : null;
}

// password.reason.<code>: the platform's words for each WEAK_PASSWORD reason.
export function useRules(rules) {
  const zh = {};
  const en = {};
  for (const { reason, message, message_en: messageEn } of rules.password.reasons) {
    zh[`password.reason.${reason}`] = message;
    en[`password.reason.${reason}`] = messageEn;
  }
  registerStrings({ zh, en });
}

if (typeof fetch === "function" && globalThis.location) loadRules().then(useRules).catch(() => {});

registerStrings({
  zh: {
    "password.rule.six_digits": "6位数字",
    "password.rule.repeated_digits": "不是同一数字重复",
    "password.rule.sequential": "不是连续数字（如123456、654321）",
    "password.rule.birth_date": "不是出生日期",
    "password.rule.id_suffix": "不是身份证号码后六位",
    "password.rule.same_as_card_pin": "不与实体社保卡密码相同",
  },
  en: {
    "password.rule.six_digits": "6 digits",
    "password.rule.repeated_digits": "Not one digit repeated",
    "password.rule.sequential": "Not a run of consecutive digits (123456, 654321)",
    "password.rule.birth_date": "Not your birth date",
    "password.rule.id_suffix": "Not the last six characters of your ID number",
    "password.rule.same_as_card_pin": "Not a password of the physical card",
  },
});
