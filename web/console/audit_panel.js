// The audit log for administrators (R-S6): the entries page by page (GET /v1/audit) and
// whether the hash chain is whole (GET /v1/audit/verify), checked when the panel opens
// and on request.

import { clearError, showError, withProgress } from "../shared/api.js";
import { h, setText } from "../shared/dom.js";
import { formatDateTime } from "../shared/ui.js";
import { chinaDay, kChinaZone } from "../shared/china_time.js";
import { t } from "../shared/i18n.js";
import { errorLabel } from "../shared/errors.js";
import { call } from "./session.js";

const kPageSize = 100;
const el = (id) => document.getElementById(id);

const log = { entries: [], cursor: null, loaded: false };

// "card.report-loss" → 挂失卡 (Card reported lost); an action this page has no words for
// is 其他操作, the recorded name in its tooltip.
function actionName(action) {
  const key = `console.audit.action.${action.replace(/^verification\.start\..*/, "verification.start")}`;
  const text = t(key);
  return text === key ? t("console.audit.action.other") : text;
}

// Who acted: an operator by login name, a channel or institution by its name (the
// platform gives `actor_name` for "client:<id>"), the platform itself in words.
function actorName(entry) {
  if (entry.actor_name) return entry.actor_name;
  if (entry.actor.startsWith("operator:")) return entry.actor.slice("operator:".length);
  if (entry.actor.startsWith("client:")) return t("console.audit.actor.client");
  const key = `console.audit.actor.${entry.actor}`;
  return t(key) === key ? entry.actor : t(key);
}

function row(entry) {
  return h("tr", { dataset: { seq: String(entry.seq) } },
    h("td", { class: "num" }, String(entry.seq)),
    h("td", { class: "console-nowrap" }, formatDateTime(entry.at)),
    h("td", { title: entry.actor, testid: "audit-actor" }, actorName(entry)),
    h("td", { title: entry.action }, actionName(entry.action)),
    h("td", { class: "mono" }, entry.target),
    h("td", {}, h("span", { class: `badge ${entry.outcome === "ok" ? "badge--ok" : "badge--error"}`, title: entry.outcome },
      entry.outcome === "ok" ? t("console.audit.outcome.ok") : t("console.audit.outcome.refused", { code: errorLabel(entry.outcome) }))),
    h("td", { class: "mono console-hash", title: entry.hash }, entry.hash.slice(0, 12)));
}

function renderRows() {
  el("audit-rows").replaceChildren(...log.entries.map(row));
  el("audit-more").hidden = !log.cursor;
  if (log.cursor) el("audit-count").replaceChildren();
  else setText(el("audit-count"), "console.audit.end", { n: log.entries.length });
}

/** The day in the filter as the platform's from/to bounds, in China Standard Time. */
function dayBounds() {
  const day = el("audit-day").value;
  return day ? { from: `${day}T00:00:00${kChinaZone}`, to: `${day}T23:59:59.999${kChinaZone}` } : {};
}

async function loadPage(button) {
  clearError(el("audit-error"));
  const query = new URLSearchParams({ limit: String(kPageSize), ...dayBounds() });
  if (log.cursor) query.set("cursor", log.cursor);
  try {
    const page = await withProgress(button, () => call("GET", `/v1/audit?${query}`));
    log.entries.push(...page.items);
    log.cursor = page.next_cursor;
    renderRows();
  } catch (err) {
    showError(el("audit-error"), err);
  }
}

async function verify() {
  const status = el("audit-status");
  status.hidden = false;
  status.className = "alert alert--info";
  status.replaceChildren(h("span", { class: "spinner" }), " ", h("span", { i18n: "console.audit.checking" }));
  try {
    const answer = await withProgress(el("audit-verify"), () => call("GET", "/v1/audit/verify"));
    status.className = `alert ${answer.ok ? "alert--success" : "alert--error"}`;
    status.dataset.ok = String(answer.ok);
    status.replaceChildren(answer.ok
      ? h("span", { i18n: "console.audit.ok", vars: { n: answer.entries } })
      : h("span", { i18n: "console.audit.bad", vars: { n: answer.entries, seq: answer.first_bad_seq } }));
  } catch (err) {
    status.hidden = true;
    showError(el("audit-error"), err);
  }
}

function reload() {
  log.entries = [];
  log.cursor = null;
  renderRows();
  return loadPage(el("audit-load"));
}

/** Shows the panel with today's entries and the chain's state. */
export async function openAudit() {
  el("audit-panel").hidden = false;
  el("audit-day").value = chinaDay();
  await Promise.all([verify(), reload()]);
}

export function closeAudit() {
  el("audit-panel").hidden = true;
  log.entries = [];
  el("audit-rows").replaceChildren();
}

export function mountAudit() {
  el("audit-verify").addEventListener("click", verify);
  el("audit-more").addEventListener("click", () => loadPage(el("audit-more")));
  el("audit-filter").addEventListener("submit", (event) => {
    event.preventDefault();
    reload();
  });
  window.addEventListener("languagechange", () => {
    if (!el("audit-panel").hidden) renderRows();
  });
}
