// Paying a contribution from the card's bank account (缴费, R-U5): level 2 only, with the
// e-card password. A level-1 e-card is told so before any form, with the way to level 2
// (R-U8). The money leaves only after a confirm sheet naming the amount, the insurance,
// the period and the account; the result page gives the platform's serial number.

import { registerStrings, t } from "../../shared/i18n.js";
import { clearError, reworded, showError, withProgress, yuan } from "../../shared/api.js";
import { h, setText } from "../../shared/dom.js";
import { focusHeading, formatDateTime } from "../../shared/ui.js";
import { channelCall } from "../channel.js";
import { existingPasswordField, submitWhenReady } from "../components/password_input.js";
import "./account.js";  // the insurance names

registerStrings({
  zh: {
    "contribute.heading": "缴费",
    "contribute.intro": "从社保卡银行账户扣款缴纳社会保险费，需要二级签发。",
    "contribute.insurance": "险种",
    "contribute.period_short": "缴费期",
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
    "contribute.due": "可缴费期",
    "contribute.due_none": "目前没有可缴的费用。",
    "contribute.due_paid": "已缴",
    "contribute.choose": "请选择要缴的费用",
    "contribute.already_paid_once": "本期已缴费，未重复扣款",
    "contribute.needs_financial": "缴费从社保卡银行账户扣款，需要先激活实体社保卡的金融功能。请携带实体社保卡和身份证到卡面标识银行的网点激活金融功能，之后可升级为二级签发并缴费。",
  },
  en: {
    "contribute.heading": "Pay a contribution",
    "contribute.intro": "Pay social insurance from the card's bank account; this needs level 2.",
    "contribute.insurance": "Insurance",
    "contribute.period_short": "Period",
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
    "contribute.due": "What you can pay",
    "contribute.due_none": "There is nothing to pay at the moment.",
    "contribute.due_paid": "Paid",
    "contribute.choose": "Choose what to pay",
    "contribute.already_paid_once": "Already paid for this period; you were not charged again",
    "contribute.needs_financial": "Contributions are debited from the card's bank account, so the card's financial function must be activated first. Take the card and your ID card to a branch of the bank shown on the card; then upgrade to level 2 and pay.",
  },
});

function kv(rows) {
  return h("dl", { class: "kv" }, rows.map(([key, value, testid]) => [h("dt", { i18n: key }), h("dd", { testid }, value)]));
}

function needsLevel2(here, ecard) {
  // Without the financial function an upgrade cannot pass (its SMS goes to the bank's
  // reserved phone): the way there is the bank, not the upgrade screen.
  if (ecard.card?.financial_active === false) {
    return h("section", { class: "panel stack", testid: "contribute-needs-level2" },
      h("p", { class: "alert alert--warn", testid: "contribute-needs-financial", i18n: "contribute.needs_financial" }));
  }
  return h("section", { class: "panel stack", testid: "contribute-needs-level2" },
    h("p", { class: "alert alert--warn", i18n: "contribute.needs_level2" }),
    h("a", { class: "btn btn-primary btn-block", href: `${here}/upgrade`, testid: "contribute-upgrade", i18n: "contribute.upgrade" }));
}

// The periods the platform says can be paid now, each with its amount
// (GET …/contributions/due): the cardholder picks one rather than typing a period and an
// amount; a period already paid is shown as paid and cannot be picked.
function detailsForm(due, initial, onNext) {
  const choices = due.map((item, i) => {
    const id = `contribute-due-${i}`;
    const radio = h("input", { type: "radio", name: "contribute-due", id, value: String(i), disabled: item.paid, testid: "contribute-due-option", dataset: { insurance: item.insurance, period: item.period, paid: String(item.paid) } });
    if (!item.paid && initial && initial.insurance === item.insurance && initial.period === item.period) radio.checked = true;
    return h("li", { class: `due-item${item.paid ? " due-item--paid" : ""}` },
      radio,
      h("label", { for: id, class: "due-label" },
        h("span", {}, h("strong", { i18n: `records.insurance.${item.insurance}` }), " ", h("span", { class: "mono" }, item.period)),
        item.paid ? h("span", { class: "badge badge--ok", i18n: "contribute.due_paid" }) : h("span", { class: "money" }, yuan(item.amount_fen))));
  });
  const firstOpen = choices.findIndex((c) => !c.querySelector("input").disabled);
  if (firstOpen >= 0 && !choices.some((c) => c.querySelector("input").checked)) choices[firstOpen].querySelector("input").checked = true;
  const error = h("span", { class: "field-error", id: "contribute-due-error", testid: "contribute-due-error" });
  const next = h("button", { type: "submit", class: "btn btn-primary btn-block", testid: "contribute-next", i18n: "contribute.next", disabled: firstOpen < 0 });
  const form = h("form", { class: "panel stack", novalidate: true, testid: "contribute-form" },
    h("p", { class: "muted", i18n: "contribute.intro" }),
    h("fieldset", { class: "choices", "aria-describedby": "contribute-due-error" },
      h("legend", { i18n: "contribute.due" }),
      due.length ? h("ul", { class: "due-list", testid: "contribute-due" }, choices) : h("p", { class: "muted", i18n: "contribute.due_none" })),
    error,
    next);
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const picked = form.querySelector('input[name="contribute-due"]:checked');
    if (!picked) {
      setText(error, "contribute.choose");
      return;
    }
    const item = due[Number(picked.value)];
    onNext({ insurance: item.insurance, period: item.period, fen: item.amount_fen });
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
    back.disabled = true;  // 返回修改 waits for the answer: the payment may already be under way
    try {
      onPaid(await withProgress(submit, pay(password.value())));
    } catch (err) {
      if (err.code === "PASSWORD_INCORRECT") password.clear();
      // The platform refuses a second payment of one insurance and period as CONFLICT.
      showError(error, err.code === "CONFLICT"
        ? reworded(err, "contribute.already_paid", { insurance: t(`records.insurance.${details.insurance}`), period: details.period })
        : err);
    } finally {
      back.disabled = false;
    }
  });
  return form;
}

function resultPage(paid, here, onAgain) {
  return h("section", { class: "panel stack done-panel", testid: "contribute-done", dataset: { alreadyPaid: String(Boolean(paid.already_paid)) } },
    h("div", { class: "done-mark", "aria-hidden": "true", text: "✓" }),
    paid.already_paid
      ? h("h2", { testid: "contribute-already-paid", i18n: "contribute.already_paid_once" })
      : h("h2", { i18n: "contribute.done", vars: { amount: yuan(paid.amount_fen) } }),
    paid.already_paid ? h("p", { class: "money" }, yuan(paid.amount_fen)) : null,
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
    body.replaceChildren(needsLevel2(here, ecard));
    return;
  }
  const dueOf = async () => (await channelCall(channel.key, "GET", `ecards/${encodeURIComponent(bindingId)}/contributions/due`)).items;
  let details = null;
  const show = (element) => {
    body.replaceChildren(element);
    window.scrollTo(0, 0);
    focusHeading(body);
  };
  const editDetails = async () => show(detailsForm(await dueOf(), details, (chosen) => {
    details = chosen;
    show(confirmSheet(ecard, chosen, {
      onBack: editDetails,
      pay: (password) => channelCall(channel.key, "POST", `ecards/${encodeURIComponent(bindingId)}/contributions`, {
        body: { password, insurance: chosen.insurance, period: chosen.period, amount_fen: chosen.fen },
      }),
      // The result page says it in full; a toast over its heading would only repeat it.
      onPaid: (paid) => show(resultPage(paid, here, editDetails)),
    }));
  }));
  await editDetails();
}
