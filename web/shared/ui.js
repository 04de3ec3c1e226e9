// Small pieces of page furniture every page uses: toasts, state badges and times shown
// in China Standard Time (the platform's dates are CST, API.md "Conventions").

import { language, t } from "./i18n.js";

// A message that disappears by itself; `kind` is "info", "success" or "error". One at a
// time: a new message replaces the one shown, so they never stack over the page.
export function toast(text, kind = "info", milliseconds = 3500) {
  let area = document.getElementById("toasts");
  if (!area) {
    area = document.createElement("div");
    area.id = "toasts";
    area.setAttribute("aria-live", "polite");
    document.body.append(area);
  }
  const item = document.createElement("div");
  item.className = `toast toast--${kind}`;
  item.textContent = text;
  area.replaceChildren(item);
  setTimeout(() => item.remove(), milliseconds);
}

// `kind` is "card" (R-C1 states) or "binding" (usable / suspended / unlinked).
export function stateBadge(kind, state) {
  const badge = document.createElement("span");
  badge.className = `badge badge--${state}`;
  badge.dataset.state = state;
  badge.dataset.i18n = `${kind}.${state}`;
  badge.textContent = t(badge.dataset.i18n);
  return badge;
}

// The name beside a code in an answer ({region,bank}_name, _name_en): 宁波市 / Ningbo,
// 宁波银行 / Bank of Ningbo; the code itself only when the platform cannot name it.
export function namedCode(answer, kind) {
  const name = language() === "en" ? answer[`${kind}_name_en`] : answer[`${kind}_name`];
  return name ?? answer[`${kind}_code`] ?? "—";
}

export function levelBadge(level) {
  const badge = document.createElement("span");
  badge.className = `badge badge--level${level}`;
  badge.dataset.i18n = `level.${level}`;
  badge.textContent = t(badge.dataset.i18n);
  return badge;
}

export function formatDateTime(iso) {
  const at = new Date(iso);
  if (Number.isNaN(at.getTime())) return String(iso ?? "");
  return at.toLocaleString(language() === "zh" ? "zh-CN" : "en-GB", {
    timeZone: "Asia/Shanghai",
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    second: "2-digit",
    hour12: false,
  });
}

// Moves focus to the first heading in `root` (made focusable for this), so a screen
// reader announces a new step rather than starting again at <body>.
export function focusHeading(root) {
  const heading = root.querySelector("h1, h2, h3");
  if (!heading) return;
  heading.setAttribute("tabindex", "-1");
  heading.focus({ preventScroll: true });
}

// Fills `el` with the text of `key`, its {hotline} a tel: link a phone can dial; the text
// follows later language switches.
export function hotlineText(el, key, hotline) {
  const render = () => {
    const [before, after = ""] = t(key, { hotline: "\u0000" }).split("\u0000");
    const link = document.createElement("a");
    link.href = `tel:${hotline}`;
    link.textContent = hotline;
    el.replaceChildren(before, link, after);
  };
  render();
  const follow = () => (el.isConnected ? render() : window.removeEventListener("languagechange", follow));
  window.addEventListener("languagechange", follow);
}
