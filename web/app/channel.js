// The demo channel app's link to the platform, through essc's demo client backend: the
// backend signs each call as the chosen channel (API.md "Authentication"), so no channel
// secret ever reaches the browser. The app remembers the cardholder's bindings per channel
// in localStorage (masked data only) and keeps e-card sessions (R-U1) in memory only, so a
// reload asks for the e-card password again.

import { request } from "../shared/api.js";

const kBindingsKey = "essc.app.bindings";
const kSessionMarginMs = 5000;  // treat a session about to expire as gone

let clientsPromise = null;

// The demo channels, in the order the platform lists them.
export async function channels() {
  clientsPromise ??= request("GET", "/demo/api/clients").catch((err) => {
    clientsPromise = null;
    throw err;
  });
  const { items } = await clientsPromise;
  return items.filter((c) => c.kind === "channel");
}

export async function channelNamed(key) {
  return (await channels()).find((c) => c.key === key) ?? null;
}

export function channelCall(channel, method, rest, { body, session } = {}) {
  const headers = session ? { "X-Essc-Session": session } : undefined;
  return request(method, `/demo/api/${encodeURIComponent(channel)}/v1/${rest}`, { body, headers });
}

function readAll() {
  try {
    const parsed = JSON.parse(localStorage.getItem(kBindingsKey) ?? "{}");
    return parsed && typeof parsed === "object" ? parsed : {};
  } catch {
    return {};
  }
}

function writeAll(all) {
  localStorage.setItem(kBindingsKey, JSON.stringify(all));
}

// Each entry: {binding_id, name_masked, card_no_masked, level, status}.
export function bindingsOf(channel) {
  return readAll()[channel] ?? [];
}

// Records what the platform last said about a binding (from POST /v1/ecards or GET
// /v1/ecards/{id}); a new binding goes first in the list.
export function rememberBinding(channel, ecard) {
  const all = readAll();
  const list = all[channel] ?? [];
  const previous = list.find((b) => b.binding_id === ecard.binding_id);
  const entry = {
    binding_id: ecard.binding_id,
    name_masked: ecard.card?.name_masked ?? previous?.name_masked ?? "",
    card_no_masked: ecard.card?.card_no_masked ?? previous?.card_no_masked ?? "",
    level: ecard.level ?? previous?.level ?? 1,
    status: ecard.status ?? previous?.status ?? "usable",
  };
  all[channel] = previous ? list.map((b) => (b === previous ? entry : b)) : [entry, ...list];
  writeAll(all);
  return entry;
}

export function forgetBinding(channel, bindingId) {
  const all = readAll();
  all[channel] = (all[channel] ?? []).filter((b) => b.binding_id !== bindingId);
  writeAll(all);
  sessions.delete(bindingId);
}

// Channels other than `channel` where this device holds an e-card of the same person
// (same masked name and card number): issuing here then takes the existing password (R-E7).
export function otherChannelsHolding(channel, cardNoMasked) {
  const all = readAll();
  return Object.keys(all).filter(
    (key) => key !== channel && all[key].some((b) => b.card_no_masked === cardNoMasked && b.status !== "unlinked"),
  );
}

const sessions = new Map();

export function sessionOf(bindingId) {
  const s = sessions.get(bindingId);
  if (!s || s.expiresAtMs - kSessionMarginMs <= Date.now()) return null;
  return s.token;
}

export async function openSession(channel, bindingId, password) {
  const answer = await channelCall(channel, "POST", `ecards/${encodeURIComponent(bindingId)}/sessions`, {
    body: { password },
  });
  sessions.set(bindingId, { token: answer.session_token, expiresAtMs: Date.parse(answer.expires_at) });
  return answer.session_token;
}

export function dropSession(bindingId) {
  sessions.delete(bindingId);
}
