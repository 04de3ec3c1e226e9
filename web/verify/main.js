// The public check of a 参保证明 (R-R3, API.md "Insurance history and certificates"):
// whoever holds the verify code (an employer, a school, a housing or visa office) reads
// what the platform certified and whether it is valid, revoked or expired; the address
// in the certificate's QR code is this page with ?code=…. The platform's Ed25519 signature
// over the certified hash is checked in the browser against the keys of /v1/keys
// (WebCrypto; a browser without Ed25519 says so). A PDF dropped on the page is hashed in
// the browser (WebCrypto SHA-256) and compared with the certified hash: the file never
// leaves the browser.
//
// data-testid hooks for browser tests:
//   verify-code, verify-check, verify-error (data-error-code), verify-result,
//   verify-status (data-state), verify-status-note, verify-name, verify-id-number,
//   verify-period, verify-summary (items verify-line, data-insurance, data-months),
//   verify-sha256, verify-signature-result (data-outcome: valid | invalid | unknown_key |
//   unavailable), verify-drop, verify-file, verify-file-result (data-match: "true" | "false")

import { ApiError, clearError, request, reworded, showError, withProgress } from "../shared/api.js";
import { h, setText } from "../shared/dom.js";
import { applyTranslations, language, mountLanguageSwitch, tIn } from "../shared/i18n.js";
import { kInsuranceEnglish } from "../shared/insurance_names.js";
import { formatDateTime, stateBadge } from "../shared/ui.js";
import "./strings.js";

const el = (id) => document.getElementById(id);

// The certificate shown, for the file check.
let shown = null;

// One insurance of the certificate: its months paid, first and last, and employers.
function summaryItem(line) {
  const paid = line.months > 0;
  return h("li", { class: "stack", testid: "verify-line", dataset: { insurance: line.insurance, months: line.months } },
    h("div", {}, h("strong", { lang: "zh", text: line.name }), " ",
      h("span", { class: "muted small", text: language() === "en" ? kInsuranceEnglish[line.insurance] ?? "" : "" })),
    paid
      ? h("div", { i18n: "verify.line", vars: { months: line.months, first: line.first_period, last: line.last_period } })
      : h("div", { class: "muted", i18n: "verify.line.none" }),
    paid ? h("div", { class: "muted small", text: (line.employers ?? []).join("、") }) : null);
}

function render() {
  const c = shown;
  el("result").hidden = !c;
  if (!c) {
    el("signature-result").hidden = true;
    return;
  }
  el("status").replaceChildren(stateBadge("certificate", c.status));
  const note = el("status-note");
  note.className = `alert alert--${c.status === "valid" ? "success" : c.status === "expired" ? "warn" : "error"}`;
  setText(note, `verify.note.${c.status}`);
  el("name").textContent = c.subject.name_masked;
  el("id-number").textContent = c.subject.id_number_masked;
  setText(el("period"), "verify.period_value", { from: c.period.from, to: c.period.to });
  el("issued-at").textContent = formatDateTime(c.issued_at);
  el("expires-at").textContent = formatDateTime(c.expires_at);
  el("summary").replaceChildren(...c.summary.map(summaryItem));
  el("sha256").textContent = c.document_sha256;
  el("signature").textContent = `${c.signature.alg} ${c.signature.kid}: ${c.signature.value}`;
}

async function check(code) {
  clearError(el("error"));
  el("file-result").hidden = true;
  shown = null;
  render();
  if (!code.trim()) {
    showError(el("error"), new ApiError(0, "CLIENT", tIn("zh", "verify.empty"), tIn("en", "verify.empty")));
    return;
  }
  try {
    shown = await request("GET", `/v1/certificates/${encodeURIComponent(code.trim())}`);
    checkSignature(shown);
    const url = new URL(window.location.href);
    url.searchParams.set("code", code.trim());
    window.history.replaceState(null, "", url);
  } catch (err) {
    showError(el("error"), err instanceof ApiError && err.code === "NOT_FOUND" ? reworded(err, "verify.not_found") : err);
  }
  render();
}

const fromBase64 = (text) => Uint8Array.from(atob(text), (ch) => ch.charCodeAt(0));

// API.md: the signature is over the ASCII bytes "ESSC-CERT1." + the hash in lowercase hex.
async function signatureOutcome(c) {
  const { keys } = await request("GET", "/v1/keys");
  const key = keys.find((k) => k.kid === c.signature.kid);
  if (!key) return "unknown_key";
  if (key.alg !== "Ed25519") return "unavailable";
  let publicKey;
  try {
    publicKey = await crypto.subtle.importKey("raw", fromBase64(key.public_key), { name: "Ed25519" }, false, ["verify"]);
  } catch {
    return "unavailable";
  }
  const signed = new TextEncoder().encode(`ESSC-CERT1.${c.document_sha256}`);
  const valid = await crypto.subtle.verify({ name: "Ed25519" }, publicKey, fromBase64(c.signature.value), signed);
  return valid ? "valid" : "invalid";
}

async function checkSignature(c) {
  const out = el("signature-result");
  out.hidden = true;
  const outcome = window.crypto?.subtle ? await signatureOutcome(c).catch(() => "unavailable") : "unavailable";
  if (shown !== c) return;  // another code was checked meanwhile
  out.dataset.outcome = outcome;
  out.className = `alert alert--${outcome === "valid" ? "success" : outcome === "invalid" ? "error" : "warn"}`;
  setText(out, `verify.signature.${outcome}`, { kid: c.signature.kid });
  out.hidden = false;
}

async function sha256Hex(file) {
  const digest = await crypto.subtle.digest("SHA-256", await file.arrayBuffer());
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
}

async function checkFile(file) {
  const out = el("file-result");
  out.hidden = false;
  if (!window.crypto?.subtle) {
    out.className = "alert alert--warn";
    setText(out, "verify.file.unavailable");
    return;
  }
  const match = shown !== null && (await sha256Hex(file)) === shown.document_sha256;
  out.dataset.match = String(match);
  out.className = `alert alert--${match ? "success" : "error"}`;
  setText(out, match ? "verify.file.match" : "verify.file.mismatch");
}

function mountDrop() {
  const zone = el("drop");
  el("file").addEventListener("change", (e) => {
    if (e.target.files?.[0]) checkFile(e.target.files[0]);
  });
  zone.addEventListener("dragover", (e) => {
    e.preventDefault();
    zone.classList.add("verify-drop--over");
  });
  zone.addEventListener("dragleave", () => zone.classList.remove("verify-drop--over"));
  zone.addEventListener("drop", (e) => {
    e.preventDefault();
    zone.classList.remove("verify-drop--over");
    if (e.dataTransfer?.files?.[0]) checkFile(e.dataTransfer.files[0]);
  });
}

mountLanguageSwitch(el("lang"));
applyTranslations();
mountDrop();
window.addEventListener("languagechange", render);
el("code-form").addEventListener("submit", (e) => {
  e.preventDefault();
  withProgress(el("check"), () => check(el("code").value));
});
const given = new URLSearchParams(window.location.search).get("code");
if (given) {
  el("code").value = given;
  check(given);
}
