// Getting the cardholder's code into the till: a USB scanner types it into the code
// field, a cashier pastes it, or uploads, drops or pastes a screenshot of it, which is
// decoded here in the page (web/qr/decode.js) and never leaves the browser as an image.

import { decodeQr } from "../qr/decode.js";
import { setText } from "../shared/dom.js";
import { t } from "../shared/i18n.js";
import { readCodeInfo, secondsLeft } from "./code_info.js";

// Large photos are shrunk to this many pixels on their longer side before decoding: the
// decoder stays fast, and a code that fills a fair part of the picture keeps enough
// pixels a module.
const kDecodeMaxSide = 2000;

const el = (id) => document.getElementById(id);

let countdown = null;
let describe = () => {};
const changeListeners = new Set();

/** Calls `listener()` whenever the code changes: typed, pasted, decoded or cleared. */
export function onCodeChange(listener) {
  changeListeners.add(listener);
}

/** Shows the code's purpose and the seconds it has left, ticking, under the code field. */
function describeCode() {
  for (const listener of changeListeners) listener();
  clearInterval(countdown);
  const line = el("scan-info");
  const info = readCodeInfo(currentCode());
  line.hidden = !info;
  describe = () => {};
  if (!info) return;
  describe = () => {
    const left = secondsLeft(info.expiresAt);
    line.dataset.purpose = info.purpose;
    line.dataset.expired = String(left === 0);
    line.classList.toggle("till-code-info--expired", left === 0);
    line.textContent = t(left ? "till.scan.info" : "till.scan.info_expired",
      { purpose: t(`till.scan.purpose.${info.purpose}`), seconds: left });
    if (!left) clearInterval(countdown);
  };
  describe();
  countdown = setInterval(describe, 1000);
}

function status(kind, key) {
  const box = el("scan-status");
  box.hidden = !key;
  box.className = `alert alert--${kind}`;
  box.dataset.kind = kind;
  if (!key) return;
  if (kind === "info") {
    const spinner = document.createElement("span");
    spinner.className = "spinner";
    const text = document.createElement("span");
    setText(text, key);
    box.replaceChildren(spinner, " ", text);
  } else {
    setText(box, key);
  }
}

async function pixelsOf(file) {
  const bitmap = await createImageBitmap(file);
  const scale = Math.min(1, kDecodeMaxSide / Math.max(bitmap.width, bitmap.height));
  const width = Math.max(1, Math.round(bitmap.width * scale));
  const height = Math.max(1, Math.round(bitmap.height * scale));
  const canvas = document.createElement("canvas");
  canvas.width = width;
  canvas.height = height;
  const context = canvas.getContext("2d", { willReadFrequently: true });
  context.fillStyle = "#fff";
  context.fillRect(0, 0, width, height);
  context.drawImage(bitmap, 0, 0, width, height);
  bitmap.close();
  return context.getImageData(0, 0, width, height);
}

function preview(file) {
  const image = el("scan-preview");
  if (image.src) URL.revokeObjectURL(image.src);
  image.src = URL.createObjectURL(file);
  image.hidden = false;
}

async function decodeFile(file) {
  if (!file) return;
  for (const listener of changeListeners) listener();
  preview(file);
  status("info", "till.scan.decoding");
  // Let the browser paint the progress before the decoder takes the main thread.
  await new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));
  let pixels;
  try {
    pixels = await pixelsOf(file);
  } catch {
    status("error", "till.scan.not_image");
    return;
  }
  const text = decodeQr(pixels);
  if (text === null) {
    status("error", "till.scan.not_found");
    return;
  }
  el("scan-code").value = text;
  describeCode();
  status("success", "till.scan.decoded");
}

/** The code as typed or decoded, trimmed. */
export function currentCode() {
  return el("scan-code").value.trim();
}

export function clearCode() {
  el("scan-code").value = "";
  el("scan-file").value = "";
  const image = el("scan-preview");
  if (image.src) URL.revokeObjectURL(image.src);
  image.removeAttribute("src");
  image.hidden = true;
  status("info", null);
  describeCode();
}

export function mountScanner() {
  el("scan-code").addEventListener("input", () => {
    status("info", null);  // a decoded image's note no longer describes what is typed
    describeCode();
  });
  window.addEventListener("languagechange", () => describe());
  el("scan-file").addEventListener("change", (event) => decodeFile(event.target.files[0]));
  el("scan-clear").addEventListener("click", clearCode);
  const zone = el("scan-zone");
  zone.addEventListener("dragover", (event) => {
    event.preventDefault();
    zone.classList.add("till-drop--over");
  });
  zone.addEventListener("dragleave", () => zone.classList.remove("till-drop--over"));
  zone.addEventListener("drop", (event) => {
    event.preventDefault();
    zone.classList.remove("till-drop--over");
    const file = [...(event.dataTransfer?.files ?? [])].find((f) => f.type.startsWith("image/"));
    decodeFile(file);
  });
  document.addEventListener("paste", (event) => {
    const item = [...(event.clipboardData?.items ?? [])].find((i) => i.kind === "file" && i.type.startsWith("image/"));
    if (!item) return;
    event.preventDefault();
    decodeFile(item.getAsFile());
  });
}
