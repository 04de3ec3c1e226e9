// The person panel: who was looked up or registered, and, for counter roles when the
// person has no card in use, the form that issues one (POST /v1/cards).

import { clearError, showError, withProgress } from "../shared/api.js";
import { h } from "../shared/dom.js";
import { namedCode, stateBadge } from "../shared/ui.js";
import { mayIssueCard } from "./card_actions.js";
import { renderFilings } from "./filings.js";
import { call, session } from "./session.js";

// The demo bank; any issuing bank code the platform knows can be typed instead.
const kDefaultBankCode = "NBCB";

function photos(person) {
  const on = person.photo_on_file ?? {};
  const kinds = ["police", "cardholder"].filter((kind) => on[kind]);
  if (!kinds.length) return h("span", { i18n: "console.person.photo.none" });
  return kinds.map((kind, i) => [i ? " · " : null, h("span", { i18n: `console.person.photo.${kind}` })]);
}

function issueForm(person, onIssued) {
  const bank = h("input", {
    id: "issue-bank", class: "mono", value: kDefaultBankCode, maxlength: 16, required: true, testid: "console-issue-bank",
  });
  const error = h("div", { class: "alert", hidden: true, testid: "console-issue-error" });
  const submit = h("button", { type: "submit", class: "btn btn-primary", i18n: "console.issue.submit", testid: "console-issue-submit" });
  const form = h("form", { class: "console-issue", novalidate: true },
    h("h3", { i18n: "console.issue.heading" }),
    h("div", { class: "row console-inline-form" },
      h("div", { class: "field" }, h("label", { for: "issue-bank", i18n: "console.issue.bank" }), bank),
      submit),
    error);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    clearError(error);
    try {
      const card = await withProgress(submit, () =>
        call("POST", "/v1/cards", { id_number: person.id_number, bank_code: bank.value.trim() }));
      onIssued(card);
    } catch (err) {
      showError(error, err);
    }
  });
  return form;
}

/** The person panel; `onIssued(card)` runs after a card was issued here. */
export function renderPerson(person, { onIssued }) {
  const role = session()?.role;
  const rows = [
    ["console.person.name", person.name],
    ["console.person.id", h("span", { class: "mono" }, person.id_number)],
    ["console.person.region", h("span", { testid: "console-person-region" }, namedCode(person, "region"))],
    ["console.person.phone", person.phone ? h("span", { class: "mono" }, person.phone) : "—"],
    ["console.person.photos", photos(person)],
  ];
  return h("section", { class: "panel", testid: "console-person-panel" },
    h("h2", { class: "panel-title" },
      h("span", { i18n: "console.person.heading" }),
      // The badge is about the person's card, and says so.
      person.card
        ? h("span", { class: "console-person-card", testid: "console-person-card" }, h("span", { class: "muted", i18n: "console.person.card_label" }), stateBadge("card", person.card.status))
        : h("span", { class: "badge", i18n: "console.person.no_card" })),
    h("dl", { class: "kv" }, rows.map(([label, value]) => [h("dt", { i18n: label }), h("dd", {}, value)])),
    mayIssueCard(person, role) ? issueForm(person, onIssued) : null,
    role === "hr_clerk" ? renderFilings(person) : null);
}
