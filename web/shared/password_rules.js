// The e-card password rules of R-W1 and R-W2, the same checks in the same order as
// src/domain/password_rules.cpp, so a cardholder sees why a password would be refused
// while typing it. The server stays the authority: it also refuses a password equal to a
// card PIN, which only it can know, and answers WEAK_PASSWORD with the `reason` code.

import { registerStrings } from "./i18n.js";

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

registerStrings({
  zh: {
    "password.rule.six_digits": "6位数字",
    "password.rule.repeated_digits": "不是同一数字重复",
    "password.rule.sequential": "不是连续数字（如123456、654321）",
    "password.rule.birth_date": "不是出生日期",
    "password.rule.id_suffix": "不是身份证号码后六位",
    "password.rule.same_as_card_pin": "不与实体社保卡密码相同（提交时由平台检查）",
    "password.reason.repeated_digits": "密码不能为相同数字",
    "password.reason.sequential": "密码不能为连续数字",
    "password.reason.birth_date": "密码不能为出生日期",
    "password.reason.id_suffix": "密码不能为身份证号码后六位",
    "password.reason.same_as_card_pin": "密码不能与实体社保卡密码相同",
    "password.reason.generic": "密码过于简单，请重新设置",
  },
  en: {
    "password.rule.six_digits": "6 digits",
    "password.rule.repeated_digits": "Not one digit repeated",
    "password.rule.sequential": "Not a run of consecutive digits (123456, 654321)",
    "password.rule.birth_date": "Not your birth date",
    "password.rule.id_suffix": "Not the last six characters of your ID number",
    "password.rule.same_as_card_pin": "Not a password of the physical card (the platform checks on submit)",
    "password.reason.repeated_digits": "The password cannot be one digit repeated.",
    "password.reason.sequential": "The password cannot be a run of consecutive digits.",
    "password.reason.birth_date": "The password cannot be your birth date.",
    "password.reason.id_suffix": "The password cannot be the last six characters of your ID number.",
    "password.reason.same_as_card_pin": "The password cannot equal a password of the physical card.",
    "password.reason.generic": "The password is too weak; choose another.",
  },
});
