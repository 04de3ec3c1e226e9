// The day's reconciliation (R-U4): every settlement the institution made on a China
// Standard Time day, with the platform's totals (GET /v1/settlements?date=). A row opens
// its receipt, from which it can be refunded.

import { clearError, showError, withProgress, yuan } from "../shared/api.js";
import { h } from "../shared/dom.js";
import { formatDateTime } from "../shared/ui.js";
import { todayInChina } from "./bill.js";
import { institution, institutionCall } from "./institution.js";
import { showReceipt } from "./receipt.js";

const el = (id) => document.getElementById(id);

let day = null;

function money(fen) {
  return h("td", { class: "num money" }, yuan(fen));
}

async function open(settlementId, button) {
  clearError(el("recon-error"));
  try {
    const settlement = await withProgress(button, () =>
      institutionCall("GET", `/v1/settlements/${encodeURIComponent(settlementId)}`));
    showReceipt(settlement, { institutionName: institution().name });
    el("receipt").scrollIntoView({ behavior: "smooth", block: "start" });
  } catch (err) {
    showError(el("recon-error"), err);
  }
}

function row(s) {
  const opener = h("button", { type: "button", class: "btn-link mono", testid: `till-recon-open-${s.settlement_id}` }, s.order_id);
  opener.addEventListener("click", () => open(s.settlement_id, opener));
  return h("tr", { testid: "till-recon-row", dataset: { settlementId: s.settlement_id, status: s.status } },
    h("td", { class: "till-nowrap" }, formatDateTime(s.at)),
    h("td", {}, opener),
    h("td", { i18n: `till.visit.${s.visit}` }),
    money(s.total_fen), money(s.fund_fen), money(s.account_fen),
    h("td", { class: "num money" }, yuan(s.self_pay_fen), " ",
      h("span", { class: "badge", i18n: s.self_pay_method === "bank" ? "till.receipt.method.bank" : "till.receipt.method.cash" })),
    h("td", {}, h("span", { class: `badge ${s.status === "refunded" ? "badge--error" : "badge--ok"}`, i18n: `till.receipt.status.${s.status}` })));
}

function render() {
  const body = el("recon-rows");
  const foot = el("recon-totals");
  if (!day) {
    body.replaceChildren();
    foot.replaceChildren();
    return;
  }
  body.replaceChildren(...(day.items.length
    ? day.items.map(row)
    : [h("tr", {}, h("td", { colspan: 8, class: "muted", i18n: "till.recon.empty" }))]));
  const totals = day.totals;
  foot.replaceChildren(h("tr", { testid: "till-recon-totals", dataset: { count: String(totals.count) } },
    h("th", { colspan: 3, i18n: "till.recon.totals", vars: { count: totals.count, refunded: totals.refunded_count } }),
    money(totals.total_fen), money(totals.fund_fen), money(totals.account_fen), money(totals.self_pay_fen), h("td")));
}

/** Loads the day in the date field. */
export async function loadDay() {
  clearError(el("recon-error"));
  const date = el("recon-date").value || todayInChina();
  el("recon-progress").hidden = false;
  try {
    day = await withProgress(el("recon-load"), () => institutionCall("GET", `/v1/settlements?date=${encodeURIComponent(date)}`));
  } catch (err) {
    day = null;
    showError(el("recon-error"), err);
  } finally {
    el("recon-progress").hidden = true;
  }
  render();
}

export function clearDay() {
  day = null;
  render();
}

export function mountReconciliation() {
  el("recon-date").value = todayInChina();
  el("recon-form").addEventListener("submit", (event) => {
    event.preventDefault();
    loadDay();
  });
  window.addEventListener("languagechange", render);
}
