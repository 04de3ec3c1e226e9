// The institution the till acts as. In demo mode essc signs for its demo institutions at
// /demo/api/<key>/v1/... (a client secret never reaches the browser); the picker lists
// them from GET /demo/api/clients and remembers the choice.

import { request } from "../shared/api.js";

const kStorageKey = "essc.till.institution";

let institutions = [];
let current = null;
const listeners = new Set();

/** The demo institutions: [{key, name, type}]. */
export async function loadInstitutions() {
  const answer = await request("GET", "/demo/api/clients");
  institutions = answer.items.filter((client) => client.kind === "institution");
  let stored = null;
  try {
    stored = localStorage.getItem(kStorageKey);
  } catch {
    // Without storage the first institution is picked each time.
  }
  current = institutions.find((i) => i.key === stored) ?? institutions[0] ?? null;
  return institutions;
}

/** {key, name, type} of the institution the till acts as, or null before loading. */
export function institution() {
  return current;
}

export function chooseInstitution(key) {
  const chosen = institutions.find((i) => i.key === key);
  if (!chosen || chosen === current) return;
  current = chosen;
  try {
    localStorage.setItem(kStorageKey, key);
  } catch {
    // The choice then lasts for this page only.
  }
  for (const listener of listeners) listener(current);
}

export function onInstitutionChange(listener) {
  listeners.add(listener);
}

/** Pharmacies and hospitals settle; a service hall only checks identity (R-U3, R-U4). */
export function settles(chosen = current) {
  return chosen?.type === "pharmacy" || chosen?.type === "hospital";
}

/** The visit types this institution settles: a pharmacy sells, a hospital also sees outpatients. */
export function visitsOf(chosen = current) {
  if (chosen?.type === "hospital") return ["outpatient", "pharmacy"];
  if (chosen?.type === "pharmacy") return ["pharmacy"];
  return [];
}

/** A call to the platform signed as the chosen institution. */
export function institutionCall(method, path, body) {
  return request(method, `/demo/api/${encodeURIComponent(current.key)}${path}`, { body });
}
