// The e-cards this device holds in one channel, with their current state as the platform
// reports it (a loss report or a replacement made at a counter shows here, R-L1…R-L3).

import { registerStrings } from "../../shared/i18n.js";
import { h } from "../../shared/dom.js";
import { levelBadge, stateBadge } from "../../shared/ui.js";
import { bindingsOf, channelCall, rememberBinding } from "../channel.js";

registerStrings({
  zh: {
    "home.heading": "我的电子社保卡",
    "home.empty": "您还没有在本渠道领取电子社保卡。",
    "home.apply": "申领电子社保卡",
    "home.apply_again": "重新申领",
    "home.apply_hint": "领取电子社保卡的前提是实体社保卡已领取、已激活并正常可用。",
    "home.apply_other": "为其他持卡人申领",
  },
  en: {
    "home.heading": "My e-cards",
    "home.empty": "You have no e-card in this channel yet.",
    "home.apply": "Apply for the e-card",
    "home.apply_again": "Apply again",
    "home.apply_hint": "The physical card must be collected, activated and in normal use before the e-card can be issued.",
    "home.apply_other": "Apply for another cardholder",
  },
});

async function refreshed(channel, entry) {
  try {
    return rememberBinding(channel, await channelCall(channel, "GET", `ecards/${encodeURIComponent(entry.binding_id)}`));
  } catch {
    return entry;  // shown as last known; opening it shows the platform's answer
  }
}

// With no e-card here the page is about applying; once one is held (not unlinked) it
// is about that card, and applying stays only as a link for another cardholder.
function applyLink(channel, entries) {
  const href = `#/c/${encodeURIComponent(channel)}/apply`;
  if (entries.some((e) => e.status !== "unlinked")) {
    return h("a", { class: "btn btn-link btn-block", href, testid: "apply-start", i18n: "home.apply_other" });
  }
  return h("a", { class: "btn btn-primary btn-block", href, testid: "apply-start", i18n: entries.length ? "home.apply_again" : "home.apply" });
}

export async function render(view, { channel }) {
  const entries = await Promise.all(bindingsOf(channel.key).map((entry) => refreshed(channel.key, entry)));
  view.replaceChildren(
    h("h1", { i18n: "home.heading" }),
    entries.length
      ? h("ul", { class: "ecard-list", testid: "ecard-list" },
        entries.map((entry) =>
          h("li", {},
            h("a", { class: `ecard-mini ecard-mini--${entry.status}`, href: `#/c/${encodeURIComponent(channel.key)}/e/${encodeURIComponent(entry.binding_id)}`, testid: "ecard-item", dataset: { status: entry.status } },
              h("span", { class: "ecard-mini-title", i18n: "app.title" }),
              h("span", { class: "ecard-mini-name", text: entry.name_masked }),
              h("span", { class: "mono", text: entry.card_no_masked }),
              h("span", { class: "row" }, stateBadge("binding", entry.status), levelBadge(entry.level))))))
      : h("p", { class: "muted", i18n: "home.empty" }),
    applyLink(channel.key, entries),
    // replaceChildren would write a null as the text "null".
    ...(entries.some((e) => e.status !== "unlinked") ? [] : [h("p", { class: "muted", i18n: "home.apply_hint" })]),
  );
}
