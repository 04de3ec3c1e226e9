// The e-card password as cardholders know it from the WeChat and Alipay e-SSC: six boxes
// that fill with dots as the digits are typed. A new password is typed twice, and the
// rules of R-W1/R-W2 tick off live (web/shared/password_rules.js runs the platform's
// checks, with the reason texts of GET /v1/rules). The submit button stays disabled until
// both entries match and every rule the page can check passes; the rules that need data
// the page does not hold (the ID number on a change or reset, the card PINs always) are
// listed as checked by the platform on submit.
//
// Each box row is one real <input> laid over six drawn boxes, so typing, pasting, a
// password manager and assistive technology all see a single ordinary field.

import { language, registerStrings, t } from "../../shared/i18n.js";
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

const kDigits = 6;
let counter = 0;

// Six boxes over one numeric input; returns {element, input}. `onChange` runs on every edit.
function pinBoxes(id, testid, autocomplete) {
  const input = h("input", {
    id, type: "password", inputmode: "numeric", pattern: "[0-9]*", maxlength: kDigits, autocomplete, testid,
    class: "pin-input", spellcheck: "false",
  });
  const boxes = Array.from({ length: kDigits }, () => h("span", { class: "pin-box", "aria-hidden": "true" }));
  const paint = () => {
    const digits = input.value.replace(/[^0-9]/g, "").slice(0, kDigits);
    if (digits !== input.value) input.value = digits;
    boxes.forEach((box, i) => {
      box.classList.toggle("pin-box--filled", i < digits.length);
      box.classList.toggle("pin-box--current", i === Math.min(digits.length, kDigits - 1) && document.activeElement === input);
    });
  };
  for (const event of ["input", "focus", "blur"]) input.addEventListener(event, paint);
  paint();
  return { element: h("div", { class: "pin" }, h("div", { class: "pin-boxes" }, boxes), input), input, paint };
}

function complete(value) {
  return new RegExp(`^[0-9]{${kDigits}}$`).test(value);
}

// A single 6-digit password field, for an existing password; `onChange(ready)` says
// whether six digits are in.
export function existingPasswordField(testid = "password", labelKey = "pw.existing") {
  const id = `pw-${++counter}`;
  const pin = pinBoxes(id, testid, "current-password");
  const listeners = [];
  pin.input.addEventListener("input", () => listeners.forEach((l) => l(complete(pin.input.value))));
  return {
    element: h("div", { class: "field" }, h("label", { for: id, i18n: labelKey }), pin.element),
    input: pin.input,
    value: () => pin.input.value,
    ready: () => complete(pin.input.value),
    onChange: (listener) => listeners.push(listener),
    // After a wrong password the boxes empty, ready for the next try.
    clear: () => {
      pin.input.value = "";
      pin.paint();
      listeners.forEach((l) => l(false));
      pin.input.focus();
    },
  };
}

// Disables `button` until `field.ready()`; re-checked on every edit of the field.
export function submitWhenReady(button, ...fields) {
  const update = () => {
    button.disabled = !fields.every((f) => f.ready());
  };
  for (const f of fields) f.onChange(update);
  update();
}

// `idNumber` (when known) enables the birth-date and ID-suffix rules.
export function newPasswordField({ idNumber = null, testid = "new-password" } = {}) {
  const id = `pw-${++counter}`;
  const first = pinBoxes(id, testid, "new-password");
  const second = pinBoxes(`${id}-confirm`, `${testid}-confirm`, "new-password");
  const input = first.input;
  const confirm = second.input;
  const list = h("ul", { class: "checks", testid: `${testid}-checks`, "aria-live": "polite" });
  const listeners = [];
  const checkedOnSubmit = (rule) => {
    const [open, close] = language() === "en" ? [" (", ")"] : ["（", "）"];
    return `${t(`password.rule.${rule}`)}${open}${t("pw.checked_on_submit")}${close}`;
  };
  const ready = () => complete(input.value) && passwordChecks(input.value, idNumber).every((c) => c.ok)
    && confirm.value === input.value;
  const render = () => {
    const value = input.value;
    const items = passwordChecks(value, idNumber).map(({ rule, ok }) =>
      h("li", { class: value ? (ok ? "" : "fail") : "pending", dataset: { rule }, i18n: `password.rule.${rule}` }));
    if (!idNumber) {
      for (const rule of ["birth_date", "id_suffix"]) items.push(h("li", { class: "pending", dataset: { rule } }, checkedOnSubmit(rule)));
    }
    items.push(h("li", { class: "pending", dataset: { rule: "same_as_card_pin" } }, checkedOnSubmit("same_as_card_pin")));
    const matches = confirm.value !== "" && confirm.value === value;
    // A shorter second entry is still being typed: red only once it is as long as the first.
    const mismatch = confirm.value.length >= Math.max(1, value.length) && !matches;
    items.push(h("li", { class: matches ? "" : mismatch ? "fail" : "pending", dataset: { rule: "confirm" }, i18n: "pw.rule.confirm" }));
    list.replaceChildren(...items);
    input.setAttribute("aria-invalid", String(value !== "" && items.some((li) => li.classList.contains("fail") && li.dataset.rule !== "confirm")));
    confirm.setAttribute("aria-invalid", String(mismatch));
    for (const listener of listeners) listener(ready());
  };
  input.addEventListener("input", render);
  confirm.addEventListener("input", render);
  window.addEventListener("languagechange", () => list.isConnected && render());
  render();
  const element = h("div", {},
    h("div", { class: "field" }, h("label", { for: id, i18n: "pw.new" }), first.element),
    h("div", { class: "field" }, h("label", { for: `${id}-confirm`, i18n: "pw.confirm" }), second.element),
    list,
    h("p", { class: "muted", i18n: "pw.advice" }));
  return { element, input, value: () => input.value, ready, onChange: (listener) => listeners.push(listener) };
}
