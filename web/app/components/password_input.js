// A new e-card password with its confirmation, and the rules of R-W1/R-W2 ticked off live
// as the cardholder types (web/shared/password_rules.js mirrors the server's checks). The
// rules that need data the page does not hold (the ID number on a change or reset, the
// card PINs always) are listed as checked by the platform on submit.

import { registerStrings, t } from "../../shared/i18n.js";
import { h } from "../../shared/dom.js";
import { passwordChecks } from "../../shared/password_rules.js";

registerStrings({
  zh: {
    "pw.new": "设置6位数字电子社保卡密码",
    "pw.confirm": "再次输入密码",
    "pw.existing": "电子社保卡密码",
    "pw.rule.confirm": "两次输入一致",
    "pw.checked_on_submit": "提交时由平台检查",
    "pw.advice": "请不要将电子社保卡密码与实体社保卡的人社（医保）功能密码或金融功能密码设置成一样。",
  },
  en: {
    "pw.new": "Choose a 6-digit e-card password",
    "pw.confirm": "Enter it again",
    "pw.existing": "E-card password",
    "pw.rule.confirm": "Both entries match",
    "pw.checked_on_submit": "checked by the platform on submit",
    "pw.advice": "Do not use a password of the physical card (HR/medical or financial) as the e-card password.",
  },
});

let counter = 0;

function digitsInput(id, testid, autocomplete) {
  return h("input", { id, type: "password", inputmode: "numeric", pattern: "[0-9]*", maxlength: 6, autocomplete, testid });
}

// A single 6-digit password field, for an existing password.
export function existingPasswordField(testid = "password", labelKey = "pw.existing") {
  const id = `pw-${++counter}`;
  const input = digitsInput(id, testid, "current-password");
  return { element: h("div", { class: "field" }, h("label", { for: id, i18n: labelKey }), input), input, value: () => input.value };
}

// `idNumber` (when known) enables the birth-date and ID-suffix rules.
export function newPasswordField({ idNumber = null, testid = "new-password" } = {}) {
  const id = `pw-${++counter}`;
  const input = digitsInput(id, testid, "new-password");
  const confirm = digitsInput(`${id}-confirm`, `${testid}-confirm`, "new-password");
  const list = h("ul", { class: "checks", testid: `${testid}-checks`, "aria-live": "polite" });
  const render = () => {
    const value = input.value;
    const items = passwordChecks(value, idNumber).map(({ rule, ok }) =>
      h("li", { class: value ? (ok ? "" : "fail") : "pending", dataset: { rule }, i18n: `password.rule.${rule}` }));
    if (!idNumber) {
      for (const rule of ["birth_date", "id_suffix"]) {
        items.push(h("li", { class: "pending", dataset: { rule } }, `${t(`password.rule.${rule}`)}（${t("pw.checked_on_submit")}）`));
      }
    }
    items.push(h("li", { class: "pending", dataset: { rule: "same_as_card_pin" }, i18n: "password.rule.same_as_card_pin" }));
    const matches = confirm.value !== "" && confirm.value === value;
    items.push(h("li", { class: confirm.value ? (matches ? "" : "fail") : "pending", dataset: { rule: "confirm" }, i18n: "pw.rule.confirm" }));
    list.replaceChildren(...items);
    input.setAttribute("aria-invalid", String(value !== "" && items.some((li) => li.classList.contains("fail") && li.dataset.rule !== "confirm")));
  };
  input.addEventListener("input", render);
  confirm.addEventListener("input", render);
  window.addEventListener("languagechange", () => list.isConnected && render());
  render();
  const element = h("div", {},
    h("div", { class: "field" }, h("label", { for: id, i18n: "pw.new" }), input),
    h("div", { class: "field" }, h("label", { for: `${id}-confirm`, i18n: "pw.confirm" }), confirm),
    list,
    h("p", { class: "muted", i18n: "pw.advice" }));
  const locallyValid = () =>
    passwordChecks(input.value, idNumber).every((c) => c.ok) && confirm.value === input.value;
  return { element, input, value: () => input.value, locallyValid };
}
