// The channel picker: the same e-card can be held in several channel apps at once (R-E2),
// with one e-card password for all of them (R-E7, R-W1).

import { registerStrings } from "../../shared/i18n.js";
import { h } from "../../shared/dom.js";
import { bindingsOf, channels } from "../channel.js";

registerStrings({
  zh: {
    "channels.heading": "选择渠道APP",
    "channels.intro": "电子社保卡可以在多个授权渠道APP中同时领取。各渠道APP的电子社保卡密码共用：在一个渠道设置或修改的密码，在所有渠道同时生效。",
    "channels.held": "已领取 {n} 张",
    "channels.none": "未领取",
    "channels.open": "进入",
  },
  en: {
    "channels.heading": "Choose a channel app",
    "channels.intro": "The e-card can be held in several authorised channel apps at once. They share one e-card password: set or change it in one channel and it holds in all of them.",
    "channels.held": "{n} e-card(s) here",
    "channels.none": "No e-card yet",
    "channels.open": "Open",
  },
});

export async function render(view) {
  const list = await channels();
  view.replaceChildren(
    h("h1", { i18n: "channels.heading" }),
    h("p", { class: "muted", i18n: "channels.intro" }),
    h("ul", { class: "channel-list" },
      list.map((channel) => {
        const held = bindingsOf(channel.key).filter((b) => b.status !== "unlinked").length;
        return h("li", {},
          h("a", { class: "panel channel-link", href: `#/c/${encodeURIComponent(channel.key)}`, testid: `channel-${channel.key}` },
            h("span", { class: `channel-icon channel-icon--${channel.type}`, "aria-hidden": "true" }, channel.name.replace(/APP$/i, "").slice(-2)),
            h("span", { class: "channel-text" },
              h("strong", { text: channel.name }),
              h("span", { class: "muted", i18n: `channel.${channel.type}` })),
            held
              ? h("span", { class: "badge badge--usable", i18n: "channels.held", vars: { n: held } })
              : h("span", { class: "badge", i18n: "channels.none" })));
      })),
  );
}
