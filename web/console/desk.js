// The counter desk: look a person up by citizen ID number (GET /v1/persons/{id_number}),
// register one (POST /v1/persons), then show the person and their card and act on it.
// Every call shows progress; every refusal shows the platform's message.

import { clearError, reworded, showError, withProgress } from "../shared/api.js";
import { t } from "../shared/i18n.js";
import { mayRegister } from "./card_actions.js";
import { doneText, renderCard } from "./card_view.js";
import { renderPerson } from "./person_view.js";
import { call, session } from "./session.js";

const el = (id) => document.getElementById(id);

const state = { person: null, card: null };

function showProgress(on) {
  el("work-progress").hidden = !on;
}

// The notice is kept as a function of the language so a switch re-words it.
let noticeText = () => "";

function notice(text = () => "") {
  noticeText = text;
  const box = el("work-notice");
  box.textContent = text();
  box.hidden = !box.textContent;
}

function render() {
  const personSlot = el("person");
  const cardSlot = el("card");
  personSlot.replaceChildren(state.person ? renderPerson(state.person, { onIssued: cardIssued }) : "");
  cardSlot.replaceChildren(state.card ? renderCard(state.card, { onDone: actionDone, onError: actionRefused, onOpen: openCard }) : "");
}

function workError(err) {
  notice();
  showError(el("work-error"), err);
}

// A refusal may mean the card changed at another counter: the refusal stays on screen
// and the card is read again so the buttons match its state.
async function actionRefused(err) {
  workError(err);
  const cardNo = state.card?.card_no;
  if (!cardNo) return;
  try {
    state.card = await call("GET", `/v1/cards/${encodeURIComponent(cardNo)}`);
    render();
  } catch {
    // The refusal shown already says what went wrong.
  }
}

async function loadPerson(idNumber) {
  const person = await call("GET", `/v1/persons/${encodeURIComponent(idNumber)}`);
  const card = person.card ? await call("GET", `/v1/cards/${encodeURIComponent(person.card.card_no)}`) : null;
  state.person = person;
  state.card = card;
  render();
}

async function busy(work) {
  clearError(el("work-error"));
  showProgress(true);
  try {
    await work();
  } catch (err) {
    workError(err);
  } finally {
    showProgress(false);
  }
}

async function openCard(cardNo) {
  notice();
  await busy(async () => {
    state.card = await call("GET", `/v1/cards/${encodeURIComponent(cardNo)}`);
    render();
  });
}

async function actionDone(actionId, card) {
  clearError(el("work-error"));
  state.card = card;
  render();
  notice(() => doneText(actionId, card));
  // The person's summary names their current card and its state, which the action changed.
  if (!state.person) return;
  await busy(async () => {
    state.person = await call("GET", `/v1/persons/${encodeURIComponent(state.person.id_number)}`);
    render();
  });
}

async function cardIssued(card) {
  notice(() => t("console.issue.done", { card_no: card.card_no }));
  await busy(() => loadPerson(state.person.id_number));
}

function lookupForm() {
  const form = el("lookup-form");
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const input = el("lookup-id");
    const idNumber = input.value.trim().toUpperCase();
    clearError(el("lookup-error"));
    notice();
    if (!idNumber) {
      input.setAttribute("aria-invalid", "true");
      input.focus();
      return;
    }
    input.removeAttribute("aria-invalid");
    const button = form.querySelector("button[type=submit]");
    showProgress(true);
    try {
      await withProgress(button, () => loadPerson(idNumber));
      clearError(el("work-error"));
      // In one column the result is below the form: bring it into view.
      if (window.matchMedia("(max-width: 900px)").matches) el("work-area").scrollIntoView({ behavior: "smooth" });
    } catch (err) {
      state.person = null;
      state.card = null;
      render();
      // Nobody registered under that number: a clerk who may register is offered it, with
      // the number carried over.
      if (err.code === "NOT_FOUND" && mayRegister(session()?.role)) {
        showError(el("lookup-error"), reworded(err, "console.lookup.unknown", { id: idNumber }));
        el("register-id").value = idNumber;
        el("register-details").open = true;
        el("register-name").focus();
      } else {
        showError(el("lookup-error"), err);
      }
    } finally {
      showProgress(false);
    }
  });
}

function registerForm() {
  const form = el("register-form");
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const error = el("register-error");
    clearError(error);
    const data = new FormData(form);
    const required = ["name", "id_number", "region_code"].map((name) => form.elements[name]);
    const empty = required.find((input) => !input.value.trim());
    if (empty) {
      empty.setAttribute("aria-invalid", "true");
      empty.focus();
      return;
    }
    for (const input of required) input.removeAttribute("aria-invalid");
    const phone = String(data.get("phone") ?? "").trim();
    const body = {
      name: String(data.get("name")).trim(),
      id_number: String(data.get("id_number")).trim().toUpperCase(),
      region_code: String(data.get("region_code")).trim(),
      photo_on_file: { police: data.get("police") === "on", cardholder: data.get("cardholder") === "on" },
    };
    if (phone) body.phone = phone;
    try {
      const person = await withProgress(form.querySelector("button[type=submit]"), () => call("POST", "/v1/persons", body));
      form.reset();
      el("lookup-id").value = person.id_number;
      notice(() => t("console.register.done", { name: person.name }));
      state.person = person;
      state.card = null;
      render();
    } catch (err) {
      showError(error, err);
    }
  });
}

/** Shows the desk for the signed-in operator's role. */
export function showDesk() {
  el("register-panel").hidden = !mayRegister(session()?.role);
  render();
}

/** Forgets what the previous operator looked at. */
export function clearDesk() {
  state.person = null;
  state.card = null;
  notice();
  clearError(el("work-error"));
  clearError(el("lookup-error"));
  el("lookup-id").value = "";
  render();
}

export function mountDesk() {
  lookupForm();
  registerForm();
  window.addEventListener("languagechange", () => {
    render();
    notice(noticeText);
  });
}
