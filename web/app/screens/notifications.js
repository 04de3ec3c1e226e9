// The cardholder's inbox (R-L6): every change of an e-card's state in any channel, a
// password change or reset, a level change, with the newest first.

import { language, registerStrings } from "../../shared/i18n.js";
import { h } from "../../shared/dom.js";
import { formatDateTime } from "../../shared/ui.js";
import { channelCall } from "../channel.js";

registerStrings({
  zh: { "notify.heading": "消息", "notify.step_up": "确认是本人操作 / 不是我本人", "notify.risk_denied": "查看 / 不是我本人" },
  en: { "notify.heading": "Messages", "notify.step_up": "Confirm it was me / Not me", "notify.risk_denied": "Details / Not me" },
});

// Title and text in the page's language (`title_en`, `message_en`), following a switch. A
// risk message (R-K1) leads to the security checks, where it is confirmed or answered.
function item(note, here) {
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
    text,
    note.type === "ecard.step_up_required"
      ? h("a", { class: "btn btn-primary btn-block", href: `${here}/risk`, testid: "notification-step-up", i18n: "notify.step_up" })
      : note.type === "ecard.risk_denied"
        ? h("a", { class: "btn btn-secondary btn-block", href: `${here}/risk`, testid: "notification-risk-denied", i18n: "notify.risk_denied" })
        : null);
}

export async function render(view, { channel, bindingId }) {
  const here = `#/c/${encodeURIComponent(channel.key)}/e/${encodeURIComponent(bindingId)}`;
  const { items } = await channelCall(channel.key, "GET", `ecards/${encodeURIComponent(bindingId)}/notifications?limit=50`);
  view.replaceChildren(
    h("h1", { i18n: "notify.heading" }),
    h("section", { class: "panel" },
      items.length
        ? h("ul", { class: "list", testid: "notifications" }, items.map((note) => item(note, here)))
        : h("p", { class: "muted", i18n: "common.none" })),
  );
}
