// Paying a contribution from the card's bank account (缴费, R-U5): level 2 only, with the
// e-card password. A level-1 e-card is refused by the platform with the level it needs
// (R-U8), which is shown as it comes.

import { registerStrings, t } from "../../shared/i18n.js";
import { clearError, parseYuan, showError, withProgress, yuan } from "../../shared/api.js";
import { h } from "../../shared/dom.js";
import { toast } from "../../shared/ui.js";
import { channelCall } from "../channel.js";
import { existingPasswordField } from "../components/password_input.js";
import "./account.js";  // the insurance names

registerStrings({
  zh: {
    "contribute.heading": "缴费",
    "contribute.intro": "从社保卡银行账户扣款缴纳社会保险费，需要二级签发。",
    "contribute.insurance": "险种",
    "contribute.period": "缴费期（年 YYYY 或月 YYYY-MM）",
    "contribute.amount": "金额（元）",
    "contribute.amount_invalid": "请输入金额，最多两位小数",
    "contribute.submit": "确认缴费",
    "contribute.done": "已缴费 {amount}",
  },
  en: {
    "contribute.heading": "Pay a contribution",
    "contribute.intro": "Pay social insurance from the card's bank account; this needs level 2.",
    "contribute.insurance": "Insurance",
    "contribute.period": "Period (year YYYY or month YYYY-MM)",
    "contribute.amount": "Amount (yuan)",
    "contribute.amount_invalid": "Enter an amount with at most two decimals",
    "contribute.submit": "Pay",
    "contribute.done": "Paid {amount}",
  },
});

export async function render(view, { channel, bindingId }) {
  const insurance = h("select", { id: "contribute-insurance", testid: "contribute-insurance" },
    ["resident_medical", "flexible_pension"].map((code) => h("option", { value: code, i18n: `records.insurance.${code}` })));
  const period = h("input", { id: "contribute-period", class: "mono", value: String(new Date().getFullYear()), testid: "contribute-period" });
  const amount = h("input", { id: "contribute-amount", class: "mono", inputmode: "decimal", value: "380.00", testid: "contribute-amount" });
  const amountError = h("span", { class: "field-error" });
  const password = existingPasswordField("contribute-password");
  const error = h("div", { hidden: true, testid: "contribute-error" });
  const done = h("p", { class: "alert alert--success", hidden: true, testid: "contribute-done" });
  const submit = h("button", { type: "submit", class: "btn btn-primary btn-block", testid: "contribute-submit", i18n: "contribute.submit" });
  const form = h("form", { class: "panel stack", novalidate: true },
    h("p", { class: "muted", i18n: "contribute.intro" }),
    h("div", {},
      h("div", { class: "field" }, h("label", { for: "contribute-insurance", i18n: "contribute.insurance" }), insurance),
      h("div", { class: "field" }, h("label", { for: "contribute-period", i18n: "contribute.period" }), period),
      h("div", { class: "field" }, h("label", { for: "contribute-amount", i18n: "contribute.amount" }), amount, amountError),
      password.element),
    submit, error, done);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    clearError(error);
    done.hidden = true;
    const fen = parseYuan(amount.value);
    amount.setAttribute("aria-invalid", String(fen === null));
    amountError.textContent = fen === null ? t("contribute.amount_invalid") : "";
    if (fen === null) return;
    try {
      const paid = await withProgress(submit, channelCall(channel.key, "POST", `ecards/${encodeURIComponent(bindingId)}/contributions`, {
        body: { password: password.value(), insurance: insurance.value, period: period.value.trim(), amount_fen: fen },
      }));
      done.textContent = t("contribute.done", { amount: yuan(paid.amount_fen) });
      done.hidden = false;
      toast(done.textContent, "success");
    } catch (err) {
      showError(error, err);
    }
  });
  view.replaceChildren(h("h1", { i18n: "contribute.heading" }), form);
}
