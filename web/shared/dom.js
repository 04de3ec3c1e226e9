// Building DOM without innerHTML (the pages' CSP forbids inline script and style, and
// text from the server is never parsed as markup).
//
//   h("button", { class: "btn btn-primary", i18n: "apply.next", testid: "apply-next",
//                 on: { click: go } })
//
// props: class, text (plain text), i18n (a string key, kept in data-i18n so a language
// switch re-translates it in place), vars (placeholders for that key), testid
// (data-testid, what the browser tests select by), on (event listeners), dataset, and any
// other key as an attribute (false / null / undefined leave it out). Children may be
// nodes, strings, numbers, arrays or null.

import { t } from "./i18n.js";

export function h(tag, props = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (value === undefined || value === null || value === false) continue;
    if (key === "class") el.className = value;
    else if (key === "text") el.textContent = String(value);
    else if (key === "i18n") el.dataset.i18n = value;
    else if (key === "vars") el.dataset.i18nVars = JSON.stringify(value);
    else if (key === "testid") el.dataset.testid = value;
    else if (key === "on") for (const [event, listener] of Object.entries(value)) el.addEventListener(event, listener);
    else if (key === "dataset") Object.assign(el.dataset, value);
    else el.setAttribute(key, value === true ? "" : String(value));
  }
  if (el.dataset.i18n) el.textContent = t(el.dataset.i18n, props.vars ?? {});
  append(el, children);
  return el;
}

function append(el, children) {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) append(el, child);
    else el.append(child instanceof Node ? child : String(child));
  }
}

// Gives `el` a translated text that follows later language switches.
const kSvgNs = "http://www.w3.org/2000/svg";

// An SVG element with these attributes and children, for the inline charts.
export function svg(tag, attrs = {}, ...children) {
  const node = document.createElementNS(kSvgNs, tag);
  for (const [key, value] of Object.entries(attrs)) node.setAttribute(key, String(value));
  node.append(...children);
  return node;
}

export function setText(el, key, vars) {
  el.dataset.i18n = key;
  if (vars) el.dataset.i18nVars = JSON.stringify(vars);
  else delete el.dataset.i18nVars;
  el.textContent = t(key, vars ?? {});
}
