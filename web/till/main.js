// The pharmacy / hospital till (医保收银台), acting as a demo institution: take the
// cardholder's code (typed by a scanner, pasted, or read from an uploaded image in the
// page), check identity (POST /v1/identity/verify), build an itemised bill in categories
// A/B/C, settle it (POST /v1/settlements with a fresh order id, optionally paying the
// self-pay part from the bank account), show and print the receipt, refund, and
// reconcile the day (GET /v1/settlements?date=). A service hall only checks identity.
//
// data-testid hooks for browser tests:
//   till-institution (select; option values pharmacy, hospital, hall: the keys of
//   /demo/api/clients), till-page-error
//   till-code, till-code-info (data-purpose, data-expired), till-upload (file input), till-drop,
//   till-preview, till-scan-status (data-kind),
//   till-code-clear, till-verify, till-identity-error, till-identity (result; data-card-status),
//   till-identity-name, till-identity-id
//   till-bill, till-order-id, till-visit, till-preset, till-add-item, till-items,
//   till-item-<n>, till-item-{code,name,category,quantity,price}-<n>, till-item-amount-<n>,
//   till-item-remove-<n>, till-subtotal-{A,B,C}, till-total, till-self-pay-bank,
//   till-settle-progress, till-settle-error, till-settle, till-new-bill
//   till-receipt (data-settlement-id, data-status), till-receipt-status, till-receipt-order,
//   till-receipt-settlement, till-receipt-split, till-receipt-{total,fund,account,self-pay,balance},
//   till-receipt-self-pay-method (data-method), till-print, till-refund, till-refund-form,
//   till-refund-reason, till-refund-confirm, till-refund-error, till-refund-done
//   till-recon, till-recon-date, till-recon-load, till-recon-error, till-recon-rows,
//   till-recon-row (data-settlement-id, data-status), till-recon-open-<settlement_id>,
//   till-recon-totals (data-count)

import { ApiError, clearError, reworded, showError, withProgress } from "../shared/api.js";
import { h } from "../shared/dom.js";
import { applyTranslations, mountLanguageSwitch, tIn } from "../shared/i18n.js";
import { loadRules } from "../shared/rules.js";
import { levelBadge, namedCode, stateBadge } from "../shared/ui.js";
import "./strings.js";
import { billItems, limits, newOrderId, useBillRules } from "./bill.js";
import { billRows, lockBill, markErrors, mountBillTable, resetBill } from "./bill_table.js";
import {
  chooseInstitution, institution, institutionCall, loadInstitutions, onInstitutionChange, settles, visitsOf,
} from "./institution.js";
import { clearReceipt, mountReceipt, onRefund, showReceipt } from "./receipt.js";
import { clearDay, loadDay, mountReconciliation } from "./reconciliation.js";
import { clearCode, currentCode, mountScanner, onCodeChange } from "./scanner.js";

const el = (id) => document.getElementById(id);

// The order id of the bill being built: kept across retries of the same bill so a
// settlement that went through but whose answer was lost is answered again, not repeated.
let orderId = null;

function clientError(key, vars = {}) {
  return new ApiError(0, "CLIENT", tIn("zh", key, vars), tIn("en", key, vars));
}

// The platform's refusals worded for the cashier: what the code was, and what to ask
// the cardholder for. `step` is "identity" or "settle".
function tillWords(err, step) {
  if (!(err instanceof ApiError)) return err;
  if (err.code === "QR_PURPOSE_MISMATCH") return reworded(err, `till.error.purpose.${step}`);
  if (err.code === "QR_USED") return reworded(err, "till.error.used");
  if (err.code === "QR_EXPIRED") return reworded(err, "till.error.expired");
  // R-K1: nothing was charged; the cardholder confirms in the app, then shows a new code.
  if (err.code === "RISK_STEP_UP_REQUIRED") return reworded(err, "till.error.step_up");
  if (err.code === "LEVEL_REQUIRED" && step === "settle" && el("self-pay-bank").checked) return reworded(err, "till.error.bank_level");
  // R-F3: a family member's code pays self-pay in cash only; the platform answers FORBIDDEN.
  if (err.code === "FORBIDDEN" && step === "settle" && el("self-pay-bank").checked) return reworded(err, "till.error.bank_family");
  return err;
}

// Every new input makes the last message stale: a new code, a cleared field, a new bill.
function clearMessages() {
  clearError(el("identity-error"));
  clearError(el("settle-error"));
}

function missingCode() {
  if (currentCode()) return null;
  el("scan-code").focus();
  return clientError("till.scan.missing");
}

let identityShown = null;

function renderIdentity(identity) {
  identityShown = identity;
  el("identity-result").replaceChildren(h("div", { class: "till-identity", dataset: { cardStatus: identity.card_status } },
    h("h3", { i18n: "till.identity.heading" }),
    h("dl", { class: "kv" },
      h("dt", { i18n: "till.identity.name" }), h("dd", { testid: "till-identity-name" }, identity.name_masked),
      h("dt", { i18n: "till.identity.id" }), h("dd", { class: "mono", testid: "till-identity-id" }, identity.id_number_masked),
      h("dt", { i18n: "till.identity.card" }), h("dd", {}, stateBadge("card", identity.card_status)),
      h("dt", { i18n: "till.identity.level" }), h("dd", {}, levelBadge(identity.level)),
      h("dt", { i18n: "till.identity.region" }), h("dd", { testid: "till-identity-region" }, namedCode(identity, "region")))));
}

async function verifyIdentity() {
  const error = el("identity-error");
  clearError(error);
  el("identity-result").replaceChildren();
  const missing = missingCode();
  if (missing) {
    showError(error, missing);
    return;
  }
  try {
    const identity = await withProgress(el("identity-verify"), () =>
      institutionCall("POST", "/v1/identity/verify", { qr_token: currentCode() }));
    // The code is spent (R-U2): clearing it keeps it from being tried again.
    clearCode();
    renderIdentity(identity);
  } catch (err) {
    showError(error, tillWords(err, "identity"));
  }
}

function startBill() {
  orderId = newOrderId(institution().key);
  el("order-id").textContent = orderId;
  resetBill();
  lockBill(false);
  el("self-pay-bank").checked = false;
  el("self-pay-bank").disabled = false;
  el("visit").disabled = false;
  el("settle").hidden = false;
  clearMessages();
  clearReceipt();
}

async function settle() {
  const error = el("settle-error");
  clearError(error);
  const missing = missingCode();
  if (missing) {
    showError(error, missing);
    return;
  }
  const bill = billItems(billRows());
  if (bill.errors) {
    markErrors(bill.errors);
    const general = bill.errors.find((e) => e.index < 0);
    showError(error, clientError(general ? general.key : "till.bill.error.fix", { max: limits.itemsMax }));
    return;
  }
  const body = {
    qr_token: currentCode(),
    order_id: orderId,
    visit: el("visit").value,
    items: bill.items,
    self_pay_from_bank: el("self-pay-bank").checked,
  };
  lockBill(true);
  el("self-pay-bank").disabled = true;
  el("visit").disabled = true;
  el("settle-progress").hidden = false;
  try {
    const settlement = await withProgress(el("settle"), () => institutionCall("POST", "/v1/settlements", body));
    el("settle").hidden = true;
    clearCode();
    showReceipt(settlement, { items: bill.items, institutionName: institution().name });
    el("receipt").scrollIntoView({ behavior: "smooth", block: "nearest" });
    loadDay();
  } catch (err) {
    // Nothing was recorded: the bill stays editable under the same order id.
    showError(error, tillWords(err, "settle"));
    lockBill(false);
    el("self-pay-bank").disabled = false;
    el("visit").disabled = false;
  } finally {
    el("settle-progress").hidden = true;
  }
}

// The institution's usual visit comes first and is preselected; a language switch keeps the choice.
function fillVisits({ keepChoice }) {
  const select = el("visit");
  const chosen = select.value;
  select.replaceChildren(...visitsOf().map((visit) => h("option", { value: visit, i18n: `till.visit.${visit}` })));
  if (keepChoice && visitsOf().includes(chosen)) select.value = chosen;
}

function applyInstitution() {
  const current = institution();
  el("institution").value = current.key;
  const settling = settles(current);
  el("bill-panel").hidden = !settling;
  el("recon-panel").hidden = !settling;
  el("till-layout").classList.toggle("till-layout--identity-only", !settling);
  el("identity-result").replaceChildren();
  clearError(el("identity-error"));
  fillVisits({ keepChoice: false });
  clearDay();
  if (!settling) {
    clearReceipt();
    return;
  }
  startBill();
  loadDay();
}

async function mountInstitutions() {
  const select = el("institution");
  try {
    const list = await loadInstitutions();
    select.replaceChildren(...list.map((i) => h("option", { value: i.key }, i.name)));
    select.disabled = false;
    select.addEventListener("change", () => chooseInstitution(select.value));
    onInstitutionChange(applyInstitution);
    if (institution()) applyInstitution();
  } catch (err) {
    select.replaceChildren(h("option", {}, "—"));
    showError(el("page-error"), err);
  }
}

mountLanguageSwitch(el("lang"));
applyTranslations();
mountScanner();
mountBillTable();
mountReceipt();
mountReconciliation();
el("identity-verify").addEventListener("click", verifyIdentity);
onCodeChange(clearMessages);
el("bill-rows").addEventListener("input", () => clearError(el("settle-error")));
el("bill-preset").addEventListener("change", () => clearError(el("settle-error")));
el("self-pay-bank").addEventListener("change", () => clearError(el("settle-error")));
window.addEventListener("languagechange", () => {
  if (identityShown && el("identity-result").childElementCount) renderIdentity(identityShown);
});
el("settle").addEventListener("click", settle);
el("bill-new").addEventListener("click", startBill);
onRefund(() => loadDay());
window.addEventListener("languagechange", () => fillVisits({ keepChoice: true }));
mountInstitutions();
loadRules().then((rules) => useBillRules(rules.bill)).catch(() => {});
