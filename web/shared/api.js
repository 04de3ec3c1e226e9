// Calls to the essc HTTP API from the pages, and how its answers are shown. Every refusal
// carries the platform's own message in Chinese and English (the FAQ's wording, API.md
// "Errors"); pages show it verbatim with the details that apply (tries left, when to
// retry, when a lock ends). Money is integer fen end to end: the helpers below never
// turn an amount into a floating-point number.

import { language, t, tIn } from "./i18n.js";
import "./password_rules.js";
import { formatDateTime } from "./ui.js";

export class ApiError extends Error {
  // `extras` holds the optional fields of the error body: field, tries_left, unlock_at,
  // retry_after, level_required, fallback, reason, hotline, request_id.
  constructor(status, code, messageZh, messageEn, extras = {}) {
    super(messageZh || code);
    this.name = "ApiError";
    this.status = status;
    this.code = code;
    this.message_zh = messageZh;
    this.message_en = messageEn;
    this.extras = extras;
  }
}

// The same refusal in the page's own words (`key`, in both languages), keeping its code
// and details; a language switch re-renders it like any other.
export function reworded(err, key, vars = {}) {
  return new ApiError(err.status, err.code, tIn("zh", key, vars), tIn("en", key, vars), err.extras);
}

function networkError() {
  const zhText = "无法连接服务器，请检查网络后重试";
  const enText = "Cannot reach the server; check the connection and retry.";
  return new ApiError(0, "NETWORK", zhText, enText);
}

async function readBody(response) {
  const text = await response.text();
  if (!text) return null;
  try {
    return JSON.parse(text);
  } catch {
    return { raw: text };
  }
}

// `body` is sent as JSON when given; `headers` add to (or override) the defaults.
// Resolves to the parsed JSON answer, or null for 204; rejects with an ApiError.
export async function request(method, path, { body, headers } = {}) {
  const init = { method, headers: { Accept: "application/json", ...headers }, cache: "no-store" };
  if (body !== undefined) {
    init.headers["Content-Type"] = "application/json";
    init.body = typeof body === "string" ? body : JSON.stringify(body);
  }
  let response;
  try {
    response = await fetch(path, init);
  } catch {
    throw networkError();
  }
  const parsed = await readBody(response);
  if (response.ok) return response.status === 204 ? null : parsed;
  const error = parsed && parsed.error;
  if (error && error.code) {
    const { code, message, message_en: messageEn, ...extras } = error;
    throw new ApiError(response.status, code, message, messageEn, extras);
  }
  throw new ApiError(response.status, `HTTP_${response.status}`, `服务暂不可用（HTTP ${response.status}）`,
    `The service answered HTTP ${response.status}.`);
}

// The platform's message in the current language and, separately, the details that
// apply to it, so a page can show them on two lines.
function errorParts(err) {
  if (!(err instanceof ApiError)) return { message: String(err?.message ?? err), details: [] };
  const message = (language() === "en" ? err.message_en : err.message_zh) || err.message_zh || err.code;
  const x = err.extras ?? {};
  const details = [];
  // The reason's own words (GET /v1/rules); without them the message already says it.
  if (err.code === "WEAK_PASSWORD" && x.reason) {
    const key = `password.reason.${x.reason}`;
    if (t(key) !== key) details.push(t(key));
  }
  // A lock says when it ends; "0 tries left" beside it would say nothing more.
  if (x.tries_left !== undefined && !(x.tries_left === 0 && x.unlock_at)) {
    details.push(t("error.tries_left", { n: x.tries_left }));
  }
  if (x.retry_after !== undefined) details.push(t("error.retry_after", { n: x.retry_after }));
  if (x.unlock_at) details.push(t("error.unlock_at", { time: formatDateTime(x.unlock_at) }));
  if (x.level_required !== undefined) details.push(t("error.level_required", { level: x.level_required }));
  // Which input is wrong (API.md "Errors": `field`), in words; a field the pages have no
  // words for is left to the message.
  if (x.field && t(`field.${x.field}`) !== `field.${x.field}`) details.push(t("error.field", { field: t(`field.${x.field}`) }));
  return { message, details };
}

export function errorText(err) {
  const { message, details } = errorParts(err);
  if (!details.length) return message;
  return language() === "en" ? `${message} (${details.join("; ")})` : `${message}（${details.join("，")}）`;
}

const errorsShown = new Map();

// Fills `el` with the error as an alert that screen readers announce. The element keeps
// the error so a language switch re-renders it in the other language.
export function showError(el, err) {
  el.hidden = false;
  el.classList.add("alert", "alert--error");
  el.setAttribute("role", "alert");
  el.dataset.errorCode = err instanceof ApiError ? err.code : "CLIENT";
  const { message, details } = errorParts(err);
  const main = document.createElement("span");
  main.className = "alert-message";
  main.textContent = message;
  el.replaceChildren(main);
  if (details.length) {
    const detail = document.createElement("span");
    detail.className = "alert-detail";
    detail.textContent = details.join(language() === "en" ? "; " : "，");
    el.append(detail);
  }
  errorsShown.set(el, err);
}

export function clearError(el) {
  errorsShown.delete(el);
  el.replaceChildren();
  delete el.dataset.errorCode;
  el.hidden = true;
}

window.addEventListener("languagechange", () => {
  for (const [el, err] of errorsShown) {
    if (el.isConnected) showError(el, err);
    else errorsShown.delete(el);
  }
});

// Disables `button` and shows a spinner in it until `work` (a promise, or a function
// returning one) settles; resolves or rejects as `work` does.
export async function withProgress(button, work) {
  const spinner = document.createElement("span");
  spinner.className = "spinner";
  spinner.setAttribute("aria-hidden", "true");
  const wasDisabled = button.disabled;
  button.disabled = true;
  button.setAttribute("aria-busy", "true");
  button.prepend(spinner);
  try {
    return await (typeof work === "function" ? work() : work);
  } finally {
    spinner.remove();
    button.removeAttribute("aria-busy");
    button.disabled = wasDisabled;
  }
}

// "¥12.34" from integer fen, "-¥0.05" for a negative amount; exact for any safe integer.
export function yuan(fen) {
  const value = Number(fen);
  if (!Number.isSafeInteger(value)) return "—";
  const abs = Math.abs(value);
  const whole = Math.trunc(abs / 100);
  const cents = abs % 100;
  const grouped = String(whole).replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  return `${value < 0 ? "-" : ""}¥${grouped}.${String(cents).padStart(2, "0")}`;
}

// Integer fen from a yuan amount typed by a person: digits with at most two decimals
// ("12", "12.3", "12.34"); anything else (signs, exponents, commas, a third decimal)
// gives null rather than a guess. The digits are combined as integers, never as floats.
export function parseYuan(text) {
  const match = /^([0-9]{1,13})(?:\.([0-9]{1,2}))?$/.exec(String(text ?? "").trim());
  if (!match) return null;
  const whole = Number.parseInt(match[1], 10);
  const cents = Number.parseInt((match[2] ?? "").padEnd(2, "0"), 10);
  const fen = whole * 100 + cents;
  return Number.isSafeInteger(fen) ? fen : null;
}

