// The settlement receipt (R-U4, POLICY.md): the bill, then what the pooled fund, the
// personal account and the cardholder paid (cash, or a bank debit at level 2) and the
// personal account balance after; printable, and refundable once, which puts back
// exactly what the settlement took.

import { clearError, showError, withProgress, yuan } from "../shared/api.js";
import { h } from "../shared/dom.js";
import { t } from "../shared/i18n.js";
import { formatDateTime, namedCode } from "../shared/ui.js";
import { institutionCall } from "./institution.js";

const el = (id) => document.getElementById(id);

// What the receipt shows: {settlement, items?, institutionName}.
let shown = null;
const refundListeners = new Set();

function regionOf(s, side) {
  return namedCode({ region_code: s[`${side}_region`], region_name: s[`${side}_region_name`],
    region_name_en: s[`${side}_region_name_en`] }, "region");
}

function money(fen, testid) {
  return h("span", { class: "money", testid }, yuan(fen));
}

function itemsTable(items) {
  return h("div", { class: "table-wrap" }, h("table", { class: "table till-receipt-items" },
    h("thead", {}, h("tr", {},
      h("th", { i18n: "till.bill.col.name" }), h("th", { i18n: "till.bill.col.category" }),
      h("th", { class: "num", i18n: "till.bill.col.quantity" }), h("th", { class: "num", i18n: "till.bill.col.amount" }))),
    h("tbody", {}, items.map((item) => h("tr", {},
      h("td", {}, h("span", { class: "mono" }, item.code), " ", item.name),
      h("td", { i18n: `till.bill.category.${item.category}` }),
      h("td", { class: "num" }, `${item.quantity} × ${yuan(item.unit_price_fen)}`),
      h("td", { class: "num money" }, yuan(item.quantity * item.unit_price_fen)))))));
}

// R-K4: units past a region's quantity cap were settled outside the catalogue (丙类):
// the receipt says which item and how many, in words.
function quantityFlags(s, items) {
  const flags = (s.flags || []).filter((f) => f.rule === "ITEM_QUANTITY_LIMIT");
  if (!flags.length) return null;
  const nameOf = (code) => (items || []).find((item) => item.code === code)?.name || code;
  return h("div", { class: "alert alert--warn", role: "note", testid: "till-receipt-flags" },
    h("p", {}, h("strong", { i18n: "till.receipt.flags.heading" })),
    h("ul", {}, flags.map((f) => h("li", { testid: "till-receipt-flag", dataset: { itemCode: f.item_code } },
      t("till.receipt.flags.quantity", { item: nameOf(f.item_code), code: f.item_code, over: f.quantity_over })))));
}

function split(s) {
  const method = s.self_pay_method === "bank" ? "till.receipt.method.bank" : "till.receipt.method.cash";
  return h("dl", { class: "kv till-split", testid: "till-receipt-split" },
    h("dt", { i18n: "till.receipt.total" }), h("dd", {}, money(s.total_fen, "till-receipt-total")),
    h("dt", { i18n: "till.receipt.fund" }), h("dd", {}, money(s.fund_fen, "till-receipt-fund")),
    h("dt", { i18n: "till.receipt.account" }), h("dd", {}, money(s.account_fen, "till-receipt-account")),
    h("dt", { i18n: "till.receipt.self_pay" }),
    h("dd", {}, money(s.self_pay_fen, "till-receipt-self-pay"), " ",
      h("span", { class: "badge", i18n: method, testid: "till-receipt-self-pay-method", dataset: { method: s.self_pay_method } })),
    // After a refund the balance printed at settlement is no longer the balance: it is
    // labelled as what it was, and the refund line says what went back to the account.
    h("dt", { i18n: s.status === "refunded" ? "till.receipt.balance_at_settlement" : "till.receipt.balance" }),
    h("dd", {}, money(s.account_balance_after_fen, "till-receipt-balance")));
}

function refundedText(s) {
  return t("till.receipt.refunded", {
    fund: yuan(s.fund_fen), account: yuan(s.account_fen),
    self_method: t(s.self_pay_method === "bank" ? "till.receipt.method.bank" : "till.receipt.method.cash"),
    self_pay: yuan(s.self_pay_fen),
  });
}

function refundForm(s) {
  const reason = h("input", { id: "refund-reason", maxlength: 200, testid: "till-refund-reason" });
  reason.value = t("till.refund.reason_default");
  const error = h("div", { class: "alert", hidden: true, testid: "till-refund-error" });
  const submit = h("button", { type: "submit", class: "btn btn-danger", i18n: "till.refund.confirm", testid: "till-refund-confirm" });
  const form = h("form", { class: "till-refund", hidden: true, novalidate: true, testid: "till-refund-form" },
    h("div", { class: "row till-inline-form" },
      h("div", { class: "field" }, h("label", { for: "refund-reason", i18n: "till.refund.reason" }), reason), submit),
    error);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    clearError(error);
    if (!reason.value.trim()) {
      reason.setAttribute("aria-invalid", "true");
      reason.focus();
      return;
    }
    try {
      const refunded = await withProgress(submit, () => institutionCall(
        "POST", `/v1/settlements/${encodeURIComponent(s.settlement_id)}/refund`, { reason: reason.value.trim() }));
      shown = { ...shown, settlement: refunded };
      render();
      for (const listener of refundListeners) listener(refunded);
    } catch (err) {
      showError(error, err);
    }
  });
  return form;
}

// R-S8: the settlement's entry in the platform's audit log, which the cardholder's app
// proves; null until the log's sequencer takes it in (within a second on PostgreSQL).
function auditEntry(s) {
  if (!("audit_index" in s)) return null;
  const sequenced = Number.isSafeInteger(s.audit_index);
  return [
    h("dt", { i18n: "till.receipt.audit" }),
    h("dd", { class: "mono", testid: "till-receipt-audit", dataset: { index: sequenced ? String(s.audit_index) : "" } },
      sequenced ? `#${s.audit_index}` : h("span", { i18n: "till.receipt.audit.pending" })),
  ];
}

function render() {
  const slot = el("receipt");
  if (!shown) {
    slot.replaceChildren();
    slot.hidden = true;
    return;
  }
  const { settlement: s, items, institutionName } = shown;
  const refunded = s.status === "refunded";
  const form = refunded ? null : refundForm(s);
  const refundButton = refunded ? null : h("button", {
    type: "button", class: "btn btn-secondary", i18n: "till.receipt.refund", testid: "till-refund",
    on: { click: () => { form.hidden = false; form.querySelector("input").focus(); } },
  });
  slot.hidden = false;
  slot.replaceChildren(h("section", {
    class: "panel till-receipt", testid: "till-receipt", dataset: { settlementId: s.settlement_id, status: s.status },
  },
  h("h2", { class: "panel-title" }, h("span", { i18n: "till.receipt.heading" }),
    h("span", { class: `badge ${refunded ? "badge--error" : "badge--ok"}`, i18n: `till.receipt.status.${s.status}`, testid: "till-receipt-status" })),
  h("dl", { class: "kv" },
    h("dt", { i18n: "till.receipt.institution" }), h("dd", {}, institutionName),
    s.cardholder ? [
      h("dt", { i18n: "till.receipt.cardholder" }), h("dd", { testid: "till-receipt-cardholder" }, s.cardholder.name_masked),
      h("dt", { i18n: "till.receipt.card" }), h("dd", { class: "mono", testid: "till-receipt-card" }, s.cardholder.card_no_masked),
    ] : null,
    h("dt", { i18n: "till.receipt.order" }), h("dd", { class: "mono", testid: "till-receipt-order" }, s.order_id),
    h("dt", { i18n: "till.receipt.settlement" }), h("dd", { class: "mono", testid: "till-receipt-settlement" }, s.settlement_id),
    auditEntry(s),
    h("dt", { i18n: "till.receipt.at" }), h("dd", {}, formatDateTime(s.at)),
    h("dt", { i18n: "till.receipt.visit" }), h("dd", { i18n: `till.visit.${s.visit}` }),
    // R-X1: whose policy applied (参保地) and where the care was (就医地).
    s.insured_region ? [
      h("dt", { i18n: "till.receipt.insured_region" }), h("dd", { testid: "till-receipt-insured-region" }, regionOf(s, "insured")),
      h("dt", { i18n: "till.receipt.treatment_region" }), h("dd", { testid: "till-receipt-treatment-region" }, regionOf(s, "treatment")),
    ] : null,
    refunded ? [h("dt", { i18n: "till.receipt.refunded_at" }), h("dd", {}, formatDateTime(s.refunded_at))] : null),
  items ? itemsTable(items) : null,
  quantityFlags(s, items),
  split(s),
  refunded ? h("p", { class: "alert alert--success", testid: "till-refund-done" }, refundedText(s)) : null,
  h("p", { class: "till-receipt-slip-note", i18n: "till.receipt.keep" }),
  h("div", { class: "row till-receipt-actions" },
    h("button", { type: "button", class: "btn", i18n: "till.receipt.print", testid: "till-print", on: { click: () => window.print() } }),
    refundButton),
  form));
}

/** Shows a settlement; `items` (the bill as sent) when this till made it just now. */
export function showReceipt(settlement, { items = null, institutionName }) {
  shown = { settlement, items, institutionName };
  render();
}

export function clearReceipt() {
  shown = null;
  render();
}

/** Calls `listener(settlement)` after a refund went through. */
export function onRefund(listener) {
  refundListeners.add(listener);
}

export function mountReceipt() {
  window.addEventListener("languagechange", render);
}
