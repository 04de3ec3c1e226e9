// Paying a contribution from the card's bank account (缴费, R-U5): level 2 only, with the
// e-card password. A level-1 e-card is told so before any form, with the way to level 2
// (R-U8). The money leaves only after a confirm sheet naming the amount, the insurance,
// the period and the account; the result page gives the platform's serial number.

import { registerStrings, t } from "../../shared/i18n.js";
import { clearError, parseYuan, reworded, showError, withProgress, yuan } from "../../shared/api.js";
import { h, setText } from "../../shared/dom.js";
import { focusHeading, formatDateTime, toast } from "../../shared/ui.js";
import { channelCall } from "../channel.js";
import { existingPasswordField, submitWhenReady } from "../components/password_input.js";
import "./account.js";  // the insurance names

registerStrings({
  zh: {
    "contribute.heading": "缴费",
    "contribute.intro": "从社保卡银行账户扣款缴纳社会保险费，需要二级签发。",
    "contribute.insurance": "险种",
    "contribute.period": "缴费期（年 YYYY 或月 YYYY-MM）",
    "contribute.period_short": "缴费期",
    "contribute.period_invalid": "请按年（如2026）或月（如2026-03）填写缴费期",
    "contribute.amount": "金额（元）",
    "contribute.amount_invalid": "请输入金额，最多两位小数",
    "contribute.next": "下一步",
    "contribute.confirm_heading": "确认缴费",
    "contribute.account": "扣款账户",
    "contribute.account_unknown": "社保卡银行账户",
    "contribute.confirm_note": "确认后将立即从该银行账户扣款。",
    "contribute.back": "返回修改",
    "contribute.submit": "确认缴费",
    "contribute.done": "已缴费 {amount}",
    "contribute.serial": "缴费流水号",
    "contribute.at": "缴费时间",
    "contribute.again": "继续缴费",
    "contribute.to_ecard": "返回电子社保卡",
    "contribute.already_paid": "{insurance} {period} 已经缴过费，无需重复缴纳。可在“余额与记录”中查看缴费记录。",
    "contribute.needs_level2": "缴费需要二级签发。您在本渠道的电子社保卡为一级签发，可通过银行预留手机短信认证升级为二级签发后缴费。",
    "contribute.upgrade": "升级二级签发",
  },
  en: {
    "contribute.heading": "Pay a contribution",
    "contribute.intro": "Pay social insurance from the card's bank account; this needs level 2.",
    "contribute.insurance": "Insurance",
    "contribute.period": "Period (year YYYY or month YYYY-MM)",
    "contribute.period_short": "Period",
    "contribute.period_invalid": "Enter the period as a year (2026) or a month (2026-03)",
    "contribute.amount": "Amount (yuan)",
    "contribute.amount_invalid": "Enter an amount with at most two decimals",
    "contribute.next": "Next",
    "contribute.confirm_heading": "Confirm the payment",
    "contribute.account": "Debited from",
    "contribute.account_unknown": "The card's bank account",
    "contribute.confirm_note": "The bank account is debited as soon as you confirm.",
    "contribute.back": "Change it",
    "contribute.submit": "Pay now",
    "contribute.done": "Paid {amount}",
    "contribute.serial": "Serial number",
    "contribute.at": "Paid at",
    "contribute.again": "Pay another",
    "contribute.to_ecard": "Back to the e-card",
    "contribute.already_paid": "{insurance} for {period} is already paid; there is nothing to pay again. The payment is under Balance & records.",
    "contribute.needs_level2": "Contributions need level 2. Your e-card in this channel is level 1: upgrade it by SMS to the bank-reserved phone, then pay.",
    "contribute.upgrade": "Upgrade to level 2",
  },
});

const kInsurances = ["resident_medical", "flexible_pension"];

function kv(rows) {
  return h("dl", { class: "kv" }, rows.map(([key, value, testid]) => [h("dt", { i18n: key }), h("dd", { testid }, value)]));
}

function needsLevel2(here) {
  return h("section", { class: "panel stack", testid: "contribute-needs-level2" },
    h("p", { class: "alert alert--warn", i18n: "contribute.needs_level2" }),
    h("a", { class: "btn btn-primary btn-block", href: `${here}/upgrade`, testid: "contribute-upgrade", i18n: "contribute.upgrade" }));
}

function detailsForm(initial, onNext) {
  const insurance = h("select", { id: "contribute-insurance", testid: "contribute-insurance" },
    kInsurances.map((code) => h("option", { value: code, i18n: `records.insurance.${code}` })));
  insurance.value = initial.insurance;
  const period = h("input", { id: "contribute-period", class: "mono", value: initial.period, testid: "contribute-period" });
  const periodError = h("span", { class: "field-error", id: "contribute-period-error" });
  const amount = h("input", { id: "contribute-amount", class: "mono", inputmode: "decimal", value: initial.amount, testid: "contribute-amount" });
  const amountError = h("span", { class: "field-error", id: "contribute-amount-error" });
  period.setAttribute("aria-describedby", "contribute-period-error");
  amount.setAttribute("aria-describedby", "contribute-amount-error");
  const next = h("button", { type: "submit", class: "btn btn-primary btn-block", testid: "contribute-next", i18n: "contribute.next" });
  const form = h("form", { class: "panel stack", novalidate: true, testid: "contribute-form" },
    h("p", { class: "muted", i18n: "contribute.intro" }),
    h("div", {},
      h("div", { class: "field" }, h("label", { for: "contribute-insurance", i18n: "contribute.insurance" }), insurance),
      h("div", { class: "field" }, h("label", { for: "contribute-period", i18n: "contribute.period" }), period, periodError),
      h("div", { class: "field" }, h("label", { for: "contribute-amount", i18n: "contribute.amount" }), amount, amountError)),
    next);
  const say = (line, input, key) => {
    input.setAttribute("aria-invalid", String(Boolean(key)));
    if (key) setText(line, key);
    else {
      delete line.dataset.i18n;
      line.textContent = "";
    }
  };
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const fen = parseYuan(amount.value);
    const periodText = period.value.trim();
    const periodOk = /^[0-9]{4}(-(0[1-9]|1[0-2]))?$/.test(periodText);
    say(amountError, amount, fen === null || fen <= 0 ? "contribute.amount_invalid" : null);
    say(periodError, period, periodOk ? null : "contribute.period_invalid");
    if (fen === null || fen <= 0 || !periodOk) return;
    onNext({ insurance: insurance.value, period: periodText, amount: amount.value.trim(), fen });
  });
  return form;
}

function confirmSheet(ecard, details, { onBack, onPaid, pay }) {
  const password = existingPasswordField("contribute-password");
  const error = h("div", { hidden: true, testid: "contribute-error" });
  const submit = h("button", { type: "submit", class: "btn btn-primary btn-block", testid: "contribute-submit", i18n: "contribute.submit" });
  const back = h("button", { type: "button", class: "btn btn-secondary btn-block", testid: "contribute-back", i18n: "contribute.back", on: { click: onBack } });
  const account = ecard.card?.bank_account_no_masked;
  const form = h("form", { class: "panel stack", novalidate: true, testid: "contribute-confirm" },
    h("h2", { i18n: "contribute.confirm_heading" }),
    h("p", { class: "contribute-amount money", testid: "contribute-confirm-amount" }, yuan(details.fen)),
    kv([
      ["contribute.insurance", t(`records.insurance.${details.insurance}`), "contribute-confirm-insurance"],
      ["contribute.period_short", details.period, "contribute-confirm-period"],
      ["contribute.account", account ? `${ecard.card.bank_name ?? ""} ${account}`.trim() : t("contribute.account_unknown"), "contribute-confirm-account"],
    ]),
    h("p", { class: "muted", i18n: "contribute.confirm_note" }),
    password.element, submit, back, error);
  submitWhenReady(submit, password);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    clearError(error);
    try {
      onPaid(await withProgress(submit, pay(password.value())));
    } catch (err) {
      // The platform refuses a second payment of one insurance and period as CONFLICT.
      showError(error, err.code === "CONFLICT"
        ? reworded(err, "contribute.already_paid", { insurance: t(`records.insurance.${details.insurance}`), period: details.period })
        : err);
    }
  });
  return form;
}

function resultPage(paid, here, onAgain) {
  return h("section", { class: "panel stack done-panel", testid: "contribute-done" },
    h("div", { class: "done-mark", "aria-hidden": "true", text: "✓" }),
    h("h2", { i18n: "contribute.done", vars: { amount: yuan(paid.amount_fen) } }),
    kv([
      ["contribute.insurance", t(`records.insurance.${paid.insurance}`)],
      ["contribute.period_short", paid.period],
      ["contribute.serial", h("span", { class: "mono" }, paid.contribution_id), "contribute-serial"],
      ["contribute.at", formatDateTime(paid.at)],
    ]),
    h("button", { type: "button", class: "btn btn-secondary btn-block", i18n: "contribute.again", on: { click: onAgain } }),
    h("a", { class: "btn btn-primary btn-block", href: here, i18n: "contribute.to_ecard" }));
}

export async function render(view, { channel, bindingId }) {
  const here = `#/c/${encodeURIComponent(channel.key)}/e/${encodeURIComponent(bindingId)}`;
  const ecard = await channelCall(channel.key, "GET", `ecards/${encodeURIComponent(bindingId)}`);
  const body = h("div", { class: "stack" });
  view.replaceChildren(h("h1", { i18n: "contribute.heading" }), body);
  if (ecard.level < 2) {
    body.replaceChildren(needsLevel2(here));
    return;
  }
  let details = { insurance: kInsurances[0], period: String(new Date().getFullYear()), amount: "380.00" };
  const show = (element) => {
    body.replaceChildren(element);
    window.scrollTo(0, 0);
    focusHeading(body);
  };
  const editDetails = () => show(detailsForm(details, (chosen) => {
    details = chosen;
    show(confirmSheet(ecard, chosen, {
      onBack: editDetails,
      pay: (password) => channelCall(channel.key, "POST", `ecards/${encodeURIComponent(bindingId)}/contributions`, {
        body: { password, insurance: chosen.insurance, period: chosen.period, amount_fen: chosen.fen },
      }),
      onPaid: (paid) => {
        toast(t("contribute.done", { amount: yuan(paid.amount_fen) }), "success");
        show(resultPage(paid, here, editDetails));
      },
    }));
  }));
  editDetails();
}
