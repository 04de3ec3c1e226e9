// The cardholder's inbox (R-L6): every change of an e-card's state in any channel, a
// password change or reset, a level change, with the newest first.

import { language, registerStrings } from "../../shared/i18n.js";
import { h } from "../../shared/dom.js";
import { formatDateTime } from "../../shared/ui.js";
import { channelCall } from "../channel.js";

registerStrings({
  zh: { "notify.heading": "消息" },
  en: { "notify.heading": "Messages" },
});

// Title and text in the page's language (`title_en`, `message_en`), following a switch.
function item(note) {
  const text = h("p", { class: "note-text" });
  const title = h("strong", { testid: "notification-title" });
  const fill = () => {
    const en = language() === "en";
    title.textContent = en && note.title_en ? note.title_en : note.title;
    text.textContent = en && note.message_en ? note.message_en : note.message;
  };
  fill();
  window.addEventListener("languagechange", function follow() {
    if (text.isConnected) fill();
    else window.removeEventListener("languagechange", follow);
  });
  return h("li", { class: "note", testid: "notification", dataset: { type: note.type } },
    h("div", { class: "row row--between" }, title, h("span", { class: "muted small", text: formatDateTime(note.at) })),
    text);
}

export async function render(view, { channel, bindingId }) {
  const { items } = await channelCall(channel.key, "GET", `ecards/${encodeURIComponent(bindingId)}/notifications?limit=50`);
  view.replaceChildren(
    h("h1", { i18n: "notify.heading" }),
    h("section", { class: "panel" },
      items.length
        ? h("ul", { class: "list", testid: "notifications" }, items.map(item))
        : h("p", { class: "muted", i18n: "common.none" })),
  );
}
