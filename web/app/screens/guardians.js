// 我的监护人 (R-F2): the holders who may show this cardholder's code from their phone
// (亲情账户). A cardholder of 16 or over withdraws that consent here; a child's
// membership is ended by the holder.

import { registerStrings, t } from "../../shared/i18n.js";
import { showError, withProgress } from "../../shared/api.js";
import { h } from "../../shared/dom.js";
import { formatDateTime, toast } from "../../shared/ui.js";
import { channelCall } from "../channel.js";
import { withSession } from "../components/session.js";

registerStrings({
  zh: {
    "guardians.heading": "我的监护人",
    "guardians.intro": "以下亲属可在其手机上代您出示电子社保卡二维码，每次使用都会通知您。",
    "guardians.none": "没有人将您添加为亲情账户成员",
    "guardians.withdraw": "撤回授权",
    "guardians.withdrawn": "已撤回对 {name} 的授权",
    "guardians.since": "授权于 {at}",
  },
  en: {
    "guardians.heading": "My guardians",
    "guardians.intro": "These relatives may show your e-card code from their phone; you are told of every use.",
    "guardians.none": "Nobody has you in their family account",
    "guardians.withdraw": "Withdraw",
    "guardians.withdrawn": "Consent withdrawn from {name}",
    "guardians.since": "Since {at}",
  },
});

export async function render(view, { channel, bindingId }) {
  const body = h("div", { class: "stack" });
  view.replaceChildren(h("h1", { i18n: "guardians.heading" }), body);
  await withSession(channel.key, bindingId, body, async (token) => {
    const path = `ecards/${encodeURIComponent(bindingId)}/guardians`;
    const error = h("div", { hidden: true, testid: "guardians-error" });
    const item = (g) => {
      const withdraw = h("button", { type: "button", class: "btn btn-danger", testid: "guardian-withdraw", i18n: "guardians.withdraw" });
      withdraw.addEventListener("click", async () => {
        try {
          await withProgress(withdraw, channelCall(channel.key, "DELETE", `${path}/${encodeURIComponent(g.guardian_id)}`, { session: token }));
          toast(t("guardians.withdrawn", { name: g.name_masked }), "success");
          await load();
        } catch (err) {
          showError(error, err);
        }
      });
      return h("li", { class: "panel row row--between", testid: "guardian" },
        h("div", {}, h("strong", {}, g.name_masked),
          h("div", { class: "muted", i18n: "guardians.since", vars: { at: formatDateTime(g.since) } })),
        withdraw);
    };
    const load = async () => {
      const answer = await channelCall(channel.key, "GET", path, { session: token });
      body.replaceChildren(h("p", { class: "muted", i18n: "guardians.intro" }),
        answer.items.length ? h("ul", { class: "list stack" }, answer.items.map(item)) : h("p", { class: "muted", i18n: "guardians.none" }),
        error);
    };
    await load();
  });
}
