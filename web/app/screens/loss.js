// Reporting the physical card lost from a channel with the e-card password (R-L1): every
// binding in every channel is suspended at once. Cancelling the report after finding the
// card takes a face or SMS verification and restores them all (R-L2).

import { registerStrings, t } from "../../shared/i18n.js";
import { clearError, showError, withProgress } from "../../shared/api.js";
import { h } from "../../shared/dom.js";
import { stateBadge, toast } from "../../shared/ui.js";
import { channelCall, dropSession, rememberBinding } from "../channel.js";
import { existingPasswordField } from "../components/password_input.js";
import { verifiedAction } from "../components/verified_action.js";

registerStrings({
  zh: {
    "loss.heading": "挂失社保卡",
    "loss.intro": "实体社保卡丢失后请及时挂失。挂失后，所有渠道APP已签发的电子社保卡均不能使用；找回卡片后可解除挂失，电子社保卡恢复可用；补换卡后须重新申领电子社保卡。",
    "loss.unreported": "提示：卡片丢失但未挂失时，电子社保卡仍可使用，存在被冒用的风险。",
    "loss.submit": "确认挂失",
    "loss.confirm": "确定挂失吗？挂失后实体社保卡和所有渠道的电子社保卡都将暂停使用，再点一次“确认挂失”即挂失。",
    "loss.done": "已挂失，电子社保卡在所有渠道暂停使用",
    "loss.cancel.heading": "解除挂失",
    "loss.cancel.intro": "找回实体社保卡后，可通过人脸识别或短信认证解除挂失，所有渠道的电子社保卡恢复可用。",
    "loss.cancel.start": "开始认证",
    "loss.cancel.submit": "确认解除挂失",
    "loss.cancel.done": "已解除挂失，电子社保卡恢复可用",
    "loss.step.start": "说明",
    "loss.step.verify": "认证",
    "loss.step.confirm": "确认",
    "loss.step.done": "完成",
    "loss.back": "返回电子社保卡",
    "loss.state": "电子社保卡状态：",
  },
  en: {
    "loss.heading": "Report the card lost",
    "loss.intro": "Report a lost physical card at once. After the report the e-card cannot be used in any channel app; cancel the report if the card turns up and it works again; after a replacement, apply for the e-card again.",
    "loss.unreported": "Note: a lost card that is not reported keeps its e-card usable, so others could misuse it.",
    "loss.submit": "Report lost",
    "loss.confirm": "Report the card lost? The physical card and the e-card in every channel are then suspended. Tap the button again to report it.",
    "loss.done": "Reported lost: the e-card is suspended in every channel",
    "loss.cancel.heading": "Cancel the loss report",
    "loss.cancel.intro": "Found the card? Verify by face or SMS to cancel the loss report; the e-card works again in every channel.",
    "loss.cancel.start": "Start verification",
    "loss.cancel.submit": "Cancel the loss report",
    "loss.cancel.done": "Loss report cancelled: the e-card works again",
    "loss.step.start": "About",
    "loss.step.verify": "Verify",
    "loss.step.confirm": "Confirm",
    "loss.step.done": "Done",
    "loss.back": "Back to the e-card",
    "loss.state": "E-card: ",
  },
});

function donePanel(channel, bindingId, key, status) {
  return h("section", { class: "panel stack done-panel", testid: "loss-done" },
    h("h2", { i18n: key }),
    h("p", {}, h("span", { i18n: "loss.state" }), stateBadge("binding", status)),
    h("a", { class: "btn btn-primary btn-block", href: `#/c/${encodeURIComponent(channel)}/e/${encodeURIComponent(bindingId)}`, i18n: "loss.back" }));
}

export async function renderReport(view, { channel, bindingId }) {
  const password = existingPasswordField("loss-password");
  const error = h("div", { hidden: true, testid: "loss-error" });
  const submit = h("button", { type: "submit", class: "btn btn-danger btn-block", testid: "loss-submit", i18n: "loss.submit" });
  // The first tap asks once more, naming what a loss report does; the second reports.
  const ask = h("p", { class: "alert alert--warn", hidden: true, testid: "loss-confirm", role: "alert", i18n: "loss.confirm" });
  const cancel = h("button", { type: "button", class: "btn btn-secondary btn-block", hidden: true, testid: "loss-cancel", i18n: "common.cancel" });
  const form = h("form", { class: "panel stack", novalidate: true },
    h("p", { i18n: "loss.intro" }), h("p", { class: "alert alert--warn", i18n: "loss.unreported" }), password.element, ask, submit, cancel, error);
  cancel.addEventListener("click", () => {
    ask.hidden = true;
    cancel.hidden = true;
  });
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    clearError(error);
    if (ask.hidden) {
      ask.hidden = false;
      cancel.hidden = false;
      return;
    }
    try {
      const ecard = await withProgress(submit, channelCall(channel.key, "POST", `ecards/${encodeURIComponent(bindingId)}/report-loss`, {
        body: { password: password.value() },
      }));
      rememberBinding(channel.key, ecard);
      dropSession(bindingId);
      toast(t("loss.done"), "success");
      view.replaceChildren(h("h1", { i18n: "loss.heading" }), donePanel(channel.key, bindingId, "loss.done", ecard.status));
    } catch (err) {
      if (err.code === "PASSWORD_INCORRECT") password.clear();
      showError(error, err);
    }
  });
  view.replaceChildren(h("h1", { i18n: "loss.heading" }), form);
}

export async function renderCancel(view, { channel, bindingId }) {
  const flow = verifiedAction({
    channel: channel.key,
    bindingId,
    purpose: "cancel_loss",
    stepKeys: ["loss.step.start", "loss.step.verify", "loss.step.confirm", "loss.step.done"],
    intro: h("p", { i18n: "loss.cancel.intro" }),
    startKey: "loss.cancel.start",
    act: (verificationId, level, finish) => {
      const error = h("div", { hidden: true, testid: "loss-error" });
      const submit = h("button", { type: "button", class: "btn btn-primary btn-block", testid: "cancel-loss-submit", i18n: "loss.cancel.submit" });
      submit.addEventListener("click", async () => {
        clearError(error);
        try {
          const ecard = await withProgress(submit, channelCall(channel.key, "POST", `ecards/${encodeURIComponent(bindingId)}/cancel-loss`, {
            body: { verification_id: verificationId },
          }));
          rememberBinding(channel.key, ecard);
          toast(t("loss.cancel.done"), "success");
          finish(donePanel(channel.key, bindingId, "loss.cancel.done", ecard.status));
        } catch (err) {
          showError(error, err);
        }
      });
      return h("section", { class: "panel stack" }, submit, error);
    },
  });
  view.replaceChildren(h("h1", { i18n: "loss.cancel.heading" }), flow);
}
