// Where my e-card is (R-E9): every channel app holding this e-card, with its type, level,
// state, since when and its last use; any other one can be unlinked with the e-card
// password (that app is told at once). "This was not me" leads to the loss report.

import { registerStrings, t } from "../../shared/i18n.js";
import { clearError, showError, withProgress } from "../../shared/api.js";
import { h } from "../../shared/dom.js";
import { formatDateTime, levelBadge, stateBadge, toast } from "../../shared/ui.js";
import { channelCall } from "../channel.js";
import { withSession } from "../components/session.js";
import { existingPasswordField } from "../components/password_input.js";

registerStrings({
  zh: {
    "where.heading": "我的电子社保卡在哪里",
    "where.intro": "以下渠道APP持有您的电子社保卡。如有不认识的渠道，可解除其关联；如怀疑他人冒用，请立即挂失。",
    "where.this": "本渠道",
    "where.since": "领取于 {at}",
    "where.last_used": "最近使用 {at}",
    "where.never_used": "尚未使用",
    "where.revoke": "解除该渠道关联",
    "where.revoke_confirm": "确认解除",
    "where.revoked": "已解除 {name} 的关联",
    "where.not_me": "不是我本人领取的？立即挂失",
  },
  en: {
    "where.heading": "Where my e-card is",
    "where.intro": "These channel apps hold your e-card. Unlink any you do not recognise; if you think someone else is using it, report it lost at once.",
    "where.this": "This app",
    "where.since": "Since {at}",
    "where.last_used": "Last used {at}",
    "where.never_used": "Not used yet",
    "where.revoke": "Unlink this app",
    "where.revoke_confirm": "Confirm unlinking",
    "where.revoked": "{name} unlinked",
    "where.not_me": "This was not me? Report the loss now",
  },
});

function revokeForm(channel, bindingId, holding, token, reload) {
  const password = existingPasswordField(`revoke-password-${holding.channel_id}`);
  const error = h("div", { hidden: true, testid: "where-revoke-error" });
  const submit = h("button", { type: "submit", class: "btn btn-danger btn-block", testid: "where-revoke-submit", i18n: "where.revoke_confirm" });
  const form = h("form", { class: "stack", novalidate: true, hidden: true }, password.element, submit, error);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    clearError(error);
    try {
      await withProgress(submit, channelCall(channel, "POST",
        `ecards/${encodeURIComponent(bindingId)}/channels/${encodeURIComponent(holding.channel_id)}/revoke`,
        { body: { password: password.value() }, session: token }));
      toast(t("where.revoked", { name: holding.channel_name }), "success");
      await reload();
    } catch (err) {
      showError(error, err);
    }
  });
  const open = h("button", { type: "button", class: "btn btn-secondary", testid: "where-revoke", i18n: "where.revoke",
    on: { click: () => { form.hidden = false; open.hidden = true; password.input.focus(); } } });
  return [open, form];
}

function holdingItem(channel, bindingId, holding, token, reload) {
  return h("li", { class: "panel stack", testid: "where-channel", dataset: { channelType: holding.channel_type ?? "", thisChannel: String(holding.this_channel) } },
    h("div", { class: "row row--between" },
      h("strong", { text: holding.channel_name }),
      h("span", {}, holding.this_channel ? h("span", { class: "badge badge--ok", i18n: "where.this" }) : null, " ",
        levelBadge(holding.level), " ", stateBadge("binding", holding.status))),
    holding.channel_type ? h("div", { class: "muted", i18n: `channel.${holding.channel_type}` }) : null,
    h("div", { class: "muted", i18n: "where.since", vars: { at: formatDateTime(holding.since) } }),
    // A use before this holding began was of an earlier e-card (before a replacement):
    // not this one's, so it is not shown as its last use.
    holding.last_used_at && Date.parse(holding.last_used_at) >= Date.parse(holding.since)
      ? h("div", { class: "muted", i18n: "where.last_used", vars: { at: formatDateTime(holding.last_used_at) } })
      : h("div", { class: "muted", i18n: "where.never_used" }),
    holding.this_channel ? null : revokeForm(channel, bindingId, holding, token, reload));
}

export async function render(view, { channel, bindingId }) {
  const body = h("div", { class: "stack" });
  view.replaceChildren(h("h1", { i18n: "where.heading" }), body);
  await withSession(channel.key, bindingId, body, async (token) => {
    const list = h("ul", { class: "list stack", testid: "where-list" });
    const reload = async () => {
      const answer = await channelCall(channel.key, "GET", `ecards/${encodeURIComponent(bindingId)}/channels`, { session: token });
      list.replaceChildren(...answer.items.map((holding) => holdingItem(channel.key, bindingId, holding, token, reload)));
    };
    await reload();
    const loss = `#/c/${encodeURIComponent(channel.key)}/e/${encodeURIComponent(bindingId)}/loss`;
    body.replaceChildren(h("p", { class: "muted", i18n: "where.intro" }), list,
      h("a", { class: "btn btn-danger btn-block", href: loss, testid: "where-not-me", i18n: "where.not_me" }));
  });
}
