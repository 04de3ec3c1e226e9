// Upgrading a level-1 e-card to level 2 (R-E3, R-E4): the card's financial function must be
// active, then the bank four-factor check and an SMS code to the bank-reserved phone open
// payments (contributions, paying the self-pay part from the bank account). A wrong
// reserved phone is refused with the FAQ's advice to change it at the issuing bank.

import { registerStrings, t } from "../../shared/i18n.js";
import { h } from "../../shared/dom.js";
import { levelBadge, toast } from "../../shared/ui.js";
import { channelCall, rememberBinding } from "../channel.js";
import { verifiedAction } from "../components/verified_action.js";

registerStrings({
  zh: {
    "upgrade.heading": "升级二级签发",
    "upgrade.intro": "二级签发需要在银行激活社保卡金融功能，再通过发卡银行四要素（姓名、公民身份号码、银行卡号、手机号码）认证和短信验证。二级签发在一级的基础上开通缴费结算功能。",
    "upgrade.start": "开始认证",
    "upgrade.done": "已升级为二级签发",
    "upgrade.step.start": "说明",
    "upgrade.step.verify": "短信认证",
    "upgrade.step.confirm": "升级",
    "upgrade.step.done": "完成",
    "upgrade.back": "返回电子社保卡",
  },
  en: {
    "upgrade.heading": "Upgrade to level 2",
    "upgrade.intro": "Level 2 needs the card's financial function active at the bank, then the issuing bank's four-factor check (name, ID number, bank account number, phone) and an SMS code. It adds payments to everything level 1 does.",
    "upgrade.start": "Start verification",
    "upgrade.done": "Upgraded to level 2",
    "upgrade.step.start": "About",
    "upgrade.step.verify": "SMS",
    "upgrade.step.confirm": "Upgrade",
    "upgrade.step.done": "Done",
    "upgrade.back": "Back to the e-card",
  },
});

export async function render(view, { channel, bindingId }) {
  const flow = verifiedAction({
    channel: channel.key,
    bindingId,
    purpose: "upgrade",
    stepKeys: ["upgrade.step.start", "upgrade.step.verify", "upgrade.step.confirm", "upgrade.step.done"],
    intro: h("p", { i18n: "upgrade.intro" }),
    startKey: "upgrade.start",
    act: async (verificationId, level, finish) => {
      const ecard = await channelCall(channel.key, "POST", `ecards/${encodeURIComponent(bindingId)}/upgrade`, {
        body: { verification_id: verificationId },
      });
      rememberBinding(channel.key, { binding_id: bindingId, ...ecard });
      toast(t("upgrade.done"), "success");
      const done = h("section", { class: "panel stack done-panel", testid: "upgrade-done" },
        h("div", { class: "done-mark", "aria-hidden": "true", text: "✓" }),
        h("h2", { i18n: "upgrade.done" }),
        h("p", {}, levelBadge(ecard.level)),
        h("a", { class: "btn btn-primary btn-block", href: `#/c/${encodeURIComponent(channel.key)}/e/${encodeURIComponent(bindingId)}`, i18n: "upgrade.back" }));
      finish(done);
    },
  });
  view.replaceChildren(h("h1", { i18n: "upgrade.heading" }), flow);
}
