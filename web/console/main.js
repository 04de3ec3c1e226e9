// The counter console (柜面管理台): operators sign in, look a person up by citizen ID
// number or register one, issue, collect and activate cards, open the financial function
// and change the reserved phone (bank tellers), report loss, cancel the loss report,
// lock, unlock, replace and cancel; administrators also read and verify the audit log, and
// auditors read the audit log and the statistics and close risk cases.
// The console calls /v1/... itself with the operator's bearer token.
//
// data-testid hooks for browser tests:
//   console-login-view, console-login-username, console-login-password, console-login-submit,
//   console-login-error, console-demo-logins; console-operator (data-role), console-logout
//   console-lookup-id, console-lookup-submit, console-lookup-error
//   console-register-open, console-register-{name,id,region,phone,photo-police,photo-cardholder},
//   console-register-submit, console-register-error
//   console-progress, console-notice, console-error (refusals of actions without a dialog)
//   console-person-panel; console-issue-bank, console-issue-submit, console-issue-error
//   console-card-panel (data-card-no, data-state), console-card-no, console-card-financial,
//   console-card-reserved-phone, console-open-card-<card_no>, console-ecard, console-ecard-bindings
//   console-actions, console-no-actions, console-action-<id> with id one of collect, activate,
//   financial-activate, reserved-phone, report-loss, cancel-loss, lock, unlock, replace, cancel
//   console-dialog-<id>, console-dialog-<field> (hr_pin, bank_account_no, reserved_phone,
//   financial_pin), console-dialog-confirm, console-dialog-cancel, console-dialog-error
//   console-audit, console-audit-day, console-audit-load, console-audit-verify,
//   console-audit-status (data-ok), console-audit-rows,
//   console-audit-more, console-audit-count, console-audit-error
//   console-risk, console-risk-status, console-risk-rows, console-risk-case (data-case-id,
//   data-status), console-risk-note, console-risk-close-{fraud,legitimate}, console-risk-outcome,
//   console-risk-count, console-risk-more, console-risk-error
//   console-stats, console-stats-reload, console-stats-error, console-stats-charts,
//   console-stats-{issuances,settlements,split,refusals,live}, console-stats-family

import { clearError, request, reworded, showError, withProgress } from "../shared/api.js";
import { focusHeading } from "../shared/ui.js";
import { setText } from "../shared/dom.js";
import { applyTranslations, mountLanguageSwitch } from "../shared/i18n.js";
import "./strings.js";
import { closeAudit, mountAudit, openAudit } from "./audit_panel.js";
import { closeStats, mountStats, openStats } from "./stats_panel.js";
import { closeRisk, mountRisk, openRisk } from "./risk_panel.js";
import { mayLookUp, mayReadAudit, mayReadRiskCases, useRules } from "./card_actions.js";
import { loadRules } from "../shared/rules.js";
import { loadErrorLabels } from "../shared/errors.js";
import { clearDesk, mountDesk, showDesk } from "./desk.js";
import { onSessionChange, session, signIn, signOut } from "./session.js";

const el = (id) => document.getElementById(id);

function update(current, reason) {
  el("login-view").hidden = Boolean(current);
  el("desk-view").hidden = !current;
  el("logout").hidden = !current;
  el("operator").hidden = !current;
  if (!current) {
    clearDesk();
    closeAudit();
    closeStats();
    closeRisk();
    if (reason) showError(el("login-error"), reason);
    el("login-username").focus();
    return;
  }
  clearError(el("login-error"));
  renderOperator(current);
  const atTheDesk = mayLookUp(current.role);
  el("desk-view").hidden = !atTheDesk;
  showDesk();
  if (mayReadRiskCases(current.role)) openRisk();
  else closeRisk();
  focusHeading(atTheDesk ? el("desk-view") : el("risk-panel"));
  if (mayReadAudit(current.role)) {
    openAudit();
    openStats();
  } else {
    closeAudit();
    closeStats();
  }
}

function renderOperator(current) {
  const operator = el("operator");
  operator.dataset.role = current.role;
  const role = document.createElement("span");
  setText(role, `console.role.${current.role}`);
  operator.replaceChildren(current.username, " · ", role);
}

// The demo logins are shown only where the server runs in demo mode, which is when its
// demo client backend answers.
async function showDemoLogins() {
  try {
    await request("GET", "/demo/api/clients");
    el("demo-logins").hidden = false;
  } catch {
    el("demo-logins").hidden = true;
  }
}

function mountLogin() {
  const form = el("login-form");
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const error = el("login-error");
    clearError(error);
    const username = el("login-username").value.trim();
    const password = el("login-password").value;
    const empty = [el("login-username"), el("login-password")].find((input) => !input.value.trim());
    if (empty) {
      empty.setAttribute("aria-invalid", "true");
      empty.focus();
      return;
    }
    try {
      await withProgress(form.querySelector("button[type=submit]"), () => signIn(username, password));
      el("login-password").value = "";
    } catch (err) {
      showError(error, err.code === "UNAUTHENTICATED" ? reworded(err, "console.login.failed") : err);
      el("login-password").focus();
    }
  });
  for (const input of form.querySelectorAll("input")) input.addEventListener("input", () => input.removeAttribute("aria-invalid"));
  el("logout").addEventListener("click", () => signOut());
}

mountLanguageSwitch(el("lang"));
applyTranslations();
mountLogin();
showDemoLogins();
mountDesk();
mountAudit();
mountStats();
mountRisk();
// The desk offers actions from the platform's tables, so it opens once they are here;
// without them it offers none and the platform still answers every request.
// A bar runs until then, so the page is never blank.
Promise.all([loadRules().then(useRules), loadErrorLabels()]).catch(() => {}).finally(() => {
  el("console-loading").remove();
  onSessionChange(update);
  update(session(), null);
});
