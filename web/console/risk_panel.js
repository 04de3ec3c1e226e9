// Risk cases for the fund's auditors (R-K4, R-K6): what the rules found (units bought past
// a quantity cap, a cardholder's "not me"), newest first with the person masked, and the
// close of each as fraud or legitimate with a note. Every close is audited by the platform.

import { clearError, showError, withProgress } from "../shared/api.js";
import { h, setText } from "../shared/dom.js";
import { formatDateTime } from "../shared/ui.js";
import { t } from "../shared/i18n.js";
import { call } from "./session.js";

const kPageSize = 50;
const el = (id) => document.getElementById(id);

const list = { cases: [], cursor: null };

function ruleName(rule) {
  const key = `console.risk.rule.${rule}`;
  return t(key) === key ? rule : t(key);
}

function closeForm(c) {
  const note = h("input", { type: "text", maxlength: "200", testid: "console-risk-note",
    placeholder: t("console.risk.note"), "aria-label": t("console.risk.note") });
  const error = h("div", { class: "alert", hidden: true });
  const button = (outcome, kind) => h("button", {
    type: "button", class: `btn ${kind}`, i18n: `console.risk.close.${outcome}`, testid: `console-risk-close-${outcome}`,
    on: { click: async (event) => {
      clearError(error);
      try {
        const closed = await withProgress(event.currentTarget, () => call("POST",
          `/v1/risk/cases/${encodeURIComponent(c.case_id)}/close`, { outcome, note: note.value.trim() }));
        list.cases = list.cases.map((other) => (other.case_id === closed.case_id ? closed : other));
        renderRows();
      } catch (err) {
        showError(error, err);
      }
    } },
  });
  return h("div", { class: "stack console-risk-close" }, note,
    h("div", { class: "row" }, button("fraud", "btn-danger"), button("legitimate", "btn-secondary")), error);
}

function outcomeCell(c) {
  if (c.status === "open") return closeForm(c);
  return h("div", {},
    h("span", { class: `badge ${c.outcome === "fraud" ? "badge--error" : "badge--ok"}`, testid: "console-risk-outcome",
      i18n: `console.risk.outcome.${c.outcome}` }),
    c.note ? h("p", { class: "muted" }, c.note) : null);
}

function row(c) {
  return h("tr", { dataset: { caseId: c.case_id, status: c.status }, testid: "console-risk-case" },
    h("td", { class: "console-nowrap" }, formatDateTime(c.opened_at)),
    h("td", { title: c.rule }, ruleName(c.rule)),
    h("td", {}, c.person.name_masked, h("br"), h("span", { class: "mono muted" }, c.person.id_number_masked)),
    h("td", {}, h("span", { class: "mono" }, c.detail),
      c.settlement_id ? [h("br"), h("span", { class: "mono muted" }, c.settlement_id)] : null),
    h("td", {}, outcomeCell(c)));
}

function renderRows() {
  el("risk-rows").replaceChildren(...list.cases.map(row));
  el("risk-more").hidden = !list.cursor;
  setText(el("risk-count"), list.cases.length ? "console.risk.count" : "console.risk.none", { n: list.cases.length });
}

async function loadPage(button) {
  clearError(el("risk-error"));
  const query = new URLSearchParams({ status: el("risk-status").value, limit: String(kPageSize) });
  if (list.cursor) query.set("cursor", list.cursor);
  try {
    const fetch = () => call("GET", `/v1/risk/cases?${query}`);
    const page = await (button ? withProgress(button, fetch) : fetch());
    list.cases.push(...page.items);
    list.cursor = page.next_cursor;
    renderRows();
  } catch (err) {
    showError(el("risk-error"), err);
  }
}

function reload() {
  list.cases = [];
  list.cursor = null;
  return loadPage(null);
}

/** Shows the panel with the open cases. */
export function openRisk() {
  el("risk-panel").hidden = false;
  el("risk-status").value = "open";
  return reload();
}

export function closeRisk() {
  el("risk-panel").hidden = true;
  list.cases = [];
  el("risk-rows").replaceChildren();
}

export function mountRisk() {
  el("risk-status").addEventListener("change", reload);
  el("risk-more").addEventListener("click", () => loadPage(el("risk-more")));
  window.addEventListener("languagechange", () => {
    if (!el("risk-panel").hidden) renderRows();
  });
}
