// The card panel: the physical card, its e-card, and a button for every action the
// operator's role may take in the card's state (card_actions.js). Actions that ask for
// input or are hard to undo open a dialog; the others run at once with progress on
// their button.

import { withProgress } from "../shared/api.js";
import { h } from "../shared/dom.js";
import { t } from "../shared/i18n.js";
import { formatDateTime, levelBadge, namedCode, stateBadge } from "../shared/ui.js";
import { actionRequest, allowedActions, bindingStateFor } from "./card_actions.js";
import { openDialog } from "./dialog.js";
import { call, session } from "./session.js";

const kForms = {
  // Activation sets the HR/medical function PIN the cardholder chose: typed twice and
  // held to the platform's weak-PIN rules before it is sent.
  hr_pin: [
    { name: "hr_pin", label: "console.form.hr_pin", type: "password", inputmode: "numeric", maxlength: 6, pin: true },
    { name: "hr_pin_confirm", label: "console.form.hr_pin_confirm", type: "password", inputmode: "numeric", maxlength: 6, confirms: "hr_pin", send: false },
  ],
  financial: [
    { name: "bank_account_no", label: "console.form.bank_account", inputmode: "numeric", maxlength: 32 },
    { name: "reserved_phone", label: "console.form.reserved_phone", inputmode: "tel", maxlength: 11 },
    { name: "financial_pin", label: "console.form.financial_pin", type: "password", inputmode: "numeric", maxlength: 6 },
  ],
  reserved_phone: [{ name: "reserved_phone", label: "console.form.new_reserved_phone", inputmode: "tel", maxlength: 11 }],
};

function channelCount(n) {
  return n === 1 ? "console.ecard.bindings_count_one" : "console.ecard.bindings_count";
}

function ecardSection(card) {
  const ecard = card.ecard;
  if (!ecard || !ecard.bindings) {
    return h("div", { class: "console-ecard", testid: "console-ecard" },
      h("h3", { i18n: "console.ecard.heading" }), h("p", { class: "muted", i18n: "console.ecard.none" }));
  }
  const channels = (ecard.channels ?? []).map((channel) =>
    h("tr", { testid: "console-ecard-channel" },
      h("td", {}, channel.channel_name),
      h("td", {}, levelBadge(channel.level)),
      h("td", {}, stateBadge("binding", channel.status)),
      h("td", {}, formatDateTime(channel.since))));
  return h("div", { class: "console-ecard", testid: "console-ecard" },
    h("h3", { i18n: "console.ecard.heading" }),
    h("dl", { class: "kv" },
      // The highest level any channel holds; each channel's own is in the table below.
      h("dt", { i18n: "console.ecard.level_highest" }), h("dd", {}, levelBadge(ecard.level)),
      h("dt", { i18n: "console.ecard.bindings" }),
      h("dd", { i18n: channelCount(ecard.bindings), vars: { n: ecard.bindings }, testid: "console-ecard-bindings" }),
      h("dt", { i18n: "console.ecard.binding_state" }), h("dd", {}, stateBadge("binding", bindingStateFor(card.status)))),
    h("div", { class: "table-wrap" },
      h("table", { class: "table", testid: "console-ecard-channels" },
        h("thead", {}, h("tr", {},
          h("th", { i18n: "console.ecard.channel" }), h("th", { i18n: "console.ecard.level" }),
          h("th", { i18n: "console.ecard.channel_status" }), h("th", { i18n: "console.ecard.since" }))),
        h("tbody", {}, ...channels))),
    h("p", { class: "muted", i18n: "console.ecard.note" }));
}

function cardLink(cardNo, onOpen) {
  return h("button", {
    type: "button", class: "btn-link mono", testid: `console-open-card-${cardNo}`,
    on: { click: () => onOpen(cardNo) },
  }, cardNo);
}

function details(card, onOpen) {
  const rows = [
    ["console.card.no", h("span", { class: "mono", testid: "console-card-no" }, card.card_no)],
    ["console.card.status", stateBadge("card", card.status)],
    ["console.card.holder", `${card.name_masked ?? ""} ${card.id_number_masked ?? ""}`],
    ["console.card.bank", h("span", { testid: "console-card-bank" }, namedCode(card, "bank"))],
    ["console.card.region", h("span", { testid: "console-card-region" }, namedCode(card, "region"))],
    ["console.card.financial", h("span", {
      class: `badge ${card.financial_active ? "badge--ok" : ""}`,
      i18n: card.financial_active ? "console.card.financial.on" : "console.card.financial.off",
      testid: "console-card-financial",
    })],
  ];
  if (card.bank_account_no_masked) rows.push(["console.card.account", h("span", { class: "mono" }, card.bank_account_no_masked)]);
  if (card.reserved_phone_masked) {
    rows.push(["console.card.reserved_phone", h("span", { class: "mono", testid: "console-card-reserved-phone" }, card.reserved_phone_masked)]);
  }
  if (card.replaces_card_no) rows.push(["console.card.replaces", cardLink(card.replaces_card_no, onOpen)]);
  if (card.replaced_by) rows.push(["console.card.replaced_by", cardLink(card.replaced_by, onOpen)]);
  if (card.updated_at) rows.push(["console.card.updated", formatDateTime(card.updated_at)]);
  return h("dl", { class: "kv" }, rows.map(([label, value]) => [h("dt", { i18n: label }), h("dd", {}, value)]));
}

// Which card the dialog acts on, so the clerk checks it before confirming.
function cardSummary(card) {
  return h("dl", { class: "kv console-dialog-card", testid: "console-dialog-card" },
    h("dt", { i18n: "console.card.no" }), h("dd", { class: "mono" }, card.card_no),
    h("dt", { i18n: "console.card.holder" }), h("dd", {}, `${card.name_masked ?? ""} ${card.id_number_masked ?? ""}`),
    h("dt", { i18n: "console.card.status" }), h("dd", {}, stateBadge("card", card.status)),
    h("dt", { i18n: "console.card.bank" }), h("dd", {}, namedCode(card, "bank")),
    h("dt", { i18n: "console.ecard.heading" }),
    h("dd", { i18n: card.ecard?.bindings ? channelCount(card.ecard.bindings) : "console.ecard.none", vars: { n: card.ecard?.bindings ?? 0 } }));
}

async function perform(card, action, button) {
  const { method, path } = actionRequest(card.card_no, action.id);
  const title = `console.action.${action.id}`;
  if (action.needs) {
    return openDialog({
      title, fields: kForms[action.needs], confirmLabel: title, testid: `console-dialog-${action.id}`,
      message: action.needs === "hr_pin" ? "console.form.hr_pin_intro" : null,
      summary: cardSummary(card),
      onConfirm: (values) => call(method, path, values),
    });
  }
  if (action.confirm) {
    return openDialog({
      title, message: `console.confirm.${action.id}`, messageVars: { card_no: card.card_no },
      summary: cardSummary(card),
      confirmLabel: title, danger: action.danger || action.id !== "cancel-loss", testid: `console-dialog-${action.id}`,
      onConfirm: () => call(method, path),
    });
  }
  return withProgress(button, () => call(method, path));
}

/**
 * The card panel. `onDone(action, card)` runs with the card the platform answered after
 * an action; `onError(err)` with a refusal of an action run without a dialog; `onOpen(no)`
 * opens a related card (the one it replaced or was replaced by).
 */
export function renderCard(card, { onDone, onError, onOpen }) {
  const actions = allowedActions(card, session());
  const buttons = actions.map((action) => {
    const button = h("button", {
      type: "button",
      class: `btn ${action.danger ? "btn-danger" : action.confirm ? "btn-secondary" : "btn-primary"}`,
      i18n: `console.action.${action.id}`,
      testid: `console-action-${action.id}`,
    });
    button.addEventListener("click", async () => {
      try {
        const answer = await perform(card, action, button);
        if (answer) onDone(action.id, answer);
      } catch (err) {
        onError(err);
      }
    });
    return button;
  });
  return h("section", { class: "panel", testid: "console-card-panel", dataset: { cardNo: card.card_no, state: card.status } },
    h("h2", { class: "panel-title" }, h("span", { i18n: "console.card.heading" }), stateBadge("card", card.status)),
    details(card, onOpen),
    h("h3", { class: "console-actions-title", i18n: "console.card.actions" }),
    buttons.length
      ? h("div", { class: "row console-actions", testid: "console-actions" }, buttons)
      : h("p", { class: "muted", i18n: "console.card.no_actions", testid: "console-no-actions" }),
    ecardSection(card));
}

/** The notice after an action, in the current language: what changed, in the clerk's words. */
export function doneText(actionId, card) {
  const vars = { card_no: card.card_no, state: t(`card.${card.status}`), phone: card.reserved_phone_masked ?? "" };
  const specific = `console.done.${actionId}`;
  return t(specific, vars) === specific ? t("console.done", { action: t(`console.action.${actionId}`), ...vars }) : t(specific, vars);
}
