// The operator's session: the bearer token from POST /v1/operator/sessions, kept in
// sessionStorage so a reload keeps the operator signed in but closing the tab ends it.
// Every console call goes through `call`, which adds the token and, when the platform
// says the session is gone, drops it so the page returns to the login form.

import { ApiError, request } from "../shared/api.js";

const kStorageKey = "essc.console.session";
const kSessionGone = ["UNAUTHENTICATED", "SESSION_INVALID"];
const listeners = new Set();

function load() {
  try {
    const stored = JSON.parse(sessionStorage.getItem(kStorageKey) ?? "null");
    if (stored && Date.parse(stored.expires_at) > Date.now()) return stored;
  } catch {
    // A damaged entry is treated as no session.
  }
  return null;
}

let current = load();

function store(session, reason = null) {
  current = session;
  try {
    if (session) sessionStorage.setItem(kStorageKey, JSON.stringify(session));
    else sessionStorage.removeItem(kStorageKey);
  } catch {
    // Without storage the session lasts until the page is left.
  }
  for (const listener of listeners) listener(current, reason);
}

/** {username, role, bank_code (tellers), token, expires_at} or null. */
export function session() {
  return current;
}

/**
 * Calls `listener(session, reason)` whenever the operator signs in or out; `reason` is
 * the platform's refusal when the session ended because the platform no longer knows it.
 */
export function onSessionChange(listener) {
  listeners.add(listener);
}

export async function signIn(username, password) {
  const answer = await request("POST", "/v1/operator/sessions", { body: { username, password } });
  store({ username, role: answer.role, bank_code: answer.bank_code ?? null, token: answer.token,
    expires_at: answer.expires_at });
}

export async function signOut() {
  const token = current?.token;
  store(null);
  if (!token) return;
  try {
    await request("DELETE", "/v1/operator/sessions/current", { headers: { Authorization: `Bearer ${token}` } });
  } catch {
    // The token is forgotten here either way; an unreachable server lets it expire.
  }
}

/** An authorised API call; rejects with the platform's ApiError. */
export async function call(method, path, body) {
  if (!current) throw new ApiError(401, "UNAUTHENTICATED", "请先登录", "Please sign in first.");
  try {
    return await request(method, path, { body, headers: { Authorization: `Bearer ${current.token}` } });
  } catch (err) {
    if (err instanceof ApiError && kSessionGone.includes(err.code)) store(null, err);
    throw err;
  }
}
