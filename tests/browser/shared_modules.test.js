// The pure parts of web/shared/ that every page relies on, in node: money as integer fen
// (no floating point, API.md "Conventions"), the e-card password rules the app shows as
// the cardholder types (the same cases as src/domain/password_rules_test.cpp, R-W2), and
// error texts that keep the platform's message verbatim.

import "../web/support/page_globals.js";
import assert from "node:assert/strict";
import { test } from "node:test";

import { ApiError, errorText, parseYuan, yuan } from "../../web/shared/api.js";
import { setLanguage } from "../../web/shared/i18n.js";
import { passwordChecks, useRules, weakPasswordReason } from "../../web/shared/password_rules.js";

// An ID number from its first 17 characters (GB 11643, ISO 7064 MOD 11-2).
function idFrom(first17) {
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = [...first17].reduce((total, digit, i) => total + Number(digit) * weights[i], 0);
  return first17 + "10X98765432"[sum % 11];
}

const kBorn1949 = "11010519491231002X";

// setLanguage re-translates the page; in node there are no elements to find.
document.querySelectorAll = () => [];

test("yuan formats integer fen exactly", () => {
  assert.equal(yuan(0), "¥0.00");
  assert.equal(yuan(7), "¥0.07");
  assert.equal(yuan(1234), "¥12.34");
  assert.equal(yuan(-5), "-¥0.05");
  assert.equal(yuan(123456789), "¥1,234,567.89");
  assert.equal(yuan(Number.MAX_SAFE_INTEGER), "¥90,071,992,547,409.91");
  assert.equal(yuan(12.5), "—");
  assert.equal(yuan("abc"), "—");
});

test("parseYuan takes digits with at most two decimals and nothing else", () => {
  assert.equal(parseYuan("12.34"), 1234);
  assert.equal(parseYuan("12.3"), 1230);
  assert.equal(parseYuan("12"), 1200);
  assert.equal(parseYuan("0.07"), 7);
  assert.equal(parseYuan(" 5.00 "), 500);
  assert.equal(parseYuan("0.29"), 29);  // 0.29 * 100 is 28.999… in floating point
  assert.equal(parseYuan("1.10"), 110);
  for (const bad of ["12.345", "-1", "+1", "1e3", "1,000", "", "abc", ".5", "5.", "¥5", null, undefined]) {
    assert.equal(parseYuan(bad), null, String(bad));
  }
});

test("R-W2: every repeated digit and every run is weak, runs do not wrap or skip", () => {
  for (let d = 0; d <= 9; ++d) assert.equal(weakPasswordReason(String(d).repeat(6), kBorn1949), "repeated_digits");
  for (let first = 0; first <= 4; ++first) {
    const up = [0, 1, 2, 3, 4, 5].map((i) => first + i).join("");
    const down = [0, 1, 2, 3, 4, 5].map((i) => 9 - first - i).join("");
    assert.equal(weakPasswordReason(up, kBorn1949), "sequential", up);
    assert.equal(weakPasswordReason(down, kBorn1949), "sequential", down);
  }
  for (const p of ["890123", "901234", "109876", "123457", "135790", "112233", "123321"]) {
    assert.equal(weakPasswordReason(p, kBorn1949), null, p);
  }
});

test("R-W2: the birth date as YYMMDD, MMDDYY or DDMMYY, and the ID suffix", () => {
  assert.equal(weakPasswordReason("491231", kBorn1949), "birth_date");
  assert.equal(weakPasswordReason("123149", kBorn1949), "birth_date");
  assert.equal(weakPasswordReason("311249", kBorn1949), "birth_date");
  assert.equal(weakPasswordReason("194912", kBorn1949), null);
  const born2005 = idFrom("33020220050102123");
  for (const p of ["050102", "010205", "020105"]) assert.equal(weakPasswordReason(p, born2005), "birth_date", p);
  assert.equal(weakPasswordReason("200501", born2005), null);
  const withDigits = idFrom("33020219900307123");
  assert.equal(withDigits, "330202199003071236");
  assert.equal(weakPasswordReason("071236", withDigits), "id_suffix");
  assert.equal(weakPasswordReason("310029", kBorn1949), null);  // an ID ending in X never matches
});

test("R-W2: the first rule broken is reported, in the server's order", () => {
  assert.equal(weakPasswordReason("111111", idFrom("33020220111111123")), "repeated_digits");
  assert.equal(weakPasswordReason("012345", idFrom("33020219450123123")), "sequential");
  const both = idFrom("33021819900101019");
  assert.equal(both.slice(12), "010190");
  assert.equal(weakPasswordReason("010190", both), "birth_date");
  for (const p of ["258147", "907153", "620381"]) assert.equal(weakPasswordReason(p, kBorn1949), null, p);
});

test("without the ID number only the digit rules are checked", () => {
  assert.deepEqual(passwordChecks("491231").map((c) => c.rule), ["six_digits", "repeated_digits", "sequential"]);
  assert.ok(passwordChecks("491231").every((c) => c.ok));
  assert.equal(passwordChecks("12345").find((c) => c.rule === "six_digits").ok, false);
  assert.equal(passwordChecks("12a456").find((c) => c.rule === "six_digits").ok, false);
});

test("an error keeps the platform's words and adds its details in the page's language", () => {
  const locked = new ApiError(422, "PASSWORD_LOCKED", "密码错误次数过多，已锁定，请稍后再试或重置密码",
    "Too many wrong passwords; the password is locked. Try later or reset it.",
    { tries_left: 0, unlock_at: "2026-11-27T23:36:28Z" });
  const weak = new ApiError(422, "WEAK_PASSWORD", "密码过于简单，请重新设置", "The password is too weak; choose another.",
    { reason: "birth_date" });
  const wrong = new ApiError(422, "PASSWORD_INCORRECT", "电子社保卡密码错误", "The e-card password is wrong.", { tries_left: 2 });
  // The reason texts come from GET /v1/rules (tests/web/password_rules.test.js reads the real one).
  useRules({ password: { reasons: [{ reason: "birth_date", message: "密码不能为出生日期", message_en: "The password cannot be your birth date." }] } });
  setLanguage("zh");
  assert.equal(errorText(wrong), "电子社保卡密码错误（还可尝试 2 次）");
  assert.match(errorText(locked), /^密码错误次数过多，已锁定，请稍后再试或重置密码（将于 .+ 解锁）$/);
  assert.equal(errorText(weak), "密码过于简单，请重新设置（密码不能为出生日期）");
  setLanguage("en");
  assert.equal(errorText(weak), "The password is too weak; choose another. (The password cannot be your birth date.)");
  setLanguage("zh");
});
