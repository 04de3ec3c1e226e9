// Changing the e-card password (old + new) and resetting a forgotten one after a face or
// SMS verification (R-W3). Either takes effect in every channel at once, and a reset also
// lifts a lock after five wrong passwords (R-W4).

import { registerStrings, t } from "../../shared/i18n.js";
import { clearError, showError, withProgress } from "../../shared/api.js";
import { h } from "../../shared/dom.js";
import { toast } from "../../shared/ui.js";
import { channelCall, dropSession } from "../channel.js";
import { existingPasswordField, newPasswordField, submitWhenReady } from "../components/password_input.js";
import { verifiedAction } from "../components/verified_action.js";

registerStrings({
  zh: {
    "password.change.heading": "修改电子社保卡密码",
    "password.change.old": "原密码",
    "password.change.submit": "确认修改",
    "password.everywhere": "新密码在所有渠道APP上同时生效。",
    "password.changed": "密码已修改，所有渠道同时生效",
    "password.reset.heading": "重置电子社保卡密码",
    "password.reset.intro": "忘记密码时可重置：先通过人脸识别或银行预留手机短信认证确认是本人，再设置新密码。新密码在所有渠道APP上同时生效，密码锁定也随之解除；电子社保卡的签发级别不变。",
    "password.reset.start": "开始认证",
    "password.reset.submit": "确认重置",
    "password.reset.done": "密码已重置，所有渠道同时生效",
    "password.step.start": "说明",
    "password.step.verify": "认证",
    "password.step.new": "新密码",
    "password.step.done": "完成",
    "password.back": "返回电子社保卡",
  },
  en: {
    "password.change.heading": "Change the e-card password",
    "password.change.old": "Current password",
    "password.change.submit": "Change password",
    "password.everywhere": "The new password holds in every channel app at once.",
    "password.changed": "Password changed in every channel",
    "password.reset.heading": "Reset the e-card password",
    "password.reset.intro": "Forgot it? Prove it is you by face or by SMS to the bank-reserved phone, then choose a new password. It holds in every channel app at once and lifts a lock; the e-card's issuance level stays as it is.",
    "password.reset.start": "Start verification",
    "password.reset.submit": "Reset password",
    "password.reset.done": "Password reset in every channel",
    "password.step.start": "About",
    "password.step.verify": "Verify",
    "password.step.new": "New password",
    "password.step.done": "Done",
    "password.back": "Back to the e-card",
  },
});

function ecardHash(channel, bindingId) {
  return `#/c/${encodeURIComponent(channel)}/e/${encodeURIComponent(bindingId)}`;
}

function donePanel(channel, bindingId, key) {
  return h("section", { class: "panel stack done-panel", testid: "password-done" },
    h("div", { class: "done-mark", "aria-hidden": "true", text: "✓" }),
    h("h2", { i18n: key }),
    h("a", { class: "btn btn-primary btn-block", href: ecardHash(channel, bindingId), i18n: "password.back" }));
}

export async function renderChange(view, { channel, bindingId }) {
  const old = existingPasswordField("old-password", "password.change.old");
  const fresh = newPasswordField();
  const error = h("div", { hidden: true, testid: "password-error" });
  const submit = h("button", { type: "submit", class: "btn btn-primary btn-block", testid: "password-submit", i18n: "password.change.submit" });
  const form = h("form", { class: "panel stack", novalidate: true },
    old.element, fresh.element, h("p", { class: "alert alert--info", i18n: "password.everywhere" }), submit, error);
  submitWhenReady(submit, old, fresh);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    clearError(error);
    try {
      await withProgress(submit, channelCall(channel.key, "POST", `ecards/${encodeURIComponent(bindingId)}/password/change`, {
        body: { old_password: old.value(), new_password: fresh.value() },
      }));
      dropSession(bindingId);
      toast(t("password.changed"), "success");
      view.replaceChildren(h("h1", { i18n: "password.change.heading" }), donePanel(channel.key, bindingId, "password.changed"));
    } catch (err) {
      showError(error, err);
    }
  });
  view.replaceChildren(h("h1", { i18n: "password.change.heading" }), form);
}

export async function renderReset(view, { channel, bindingId }) {
  const flow = verifiedAction({
    channel: channel.key,
    bindingId,
    purpose: "reset_password",
    stepKeys: ["password.step.start", "password.step.verify", "password.step.new", "password.step.done"],
    intro: h("p", { i18n: "password.reset.intro" }),
    startKey: "password.reset.start",
    act: (verificationId, level, finish) => {
      const fresh = newPasswordField();
      const error = h("div", { hidden: true, testid: "password-error" });
      const submit = h("button", { type: "submit", class: "btn btn-primary btn-block", testid: "password-submit", i18n: "password.reset.submit" });
      const form = h("form", { class: "panel stack", novalidate: true },
        h("h2", { i18n: "password.step.new" }), fresh.element, submit, error);
      submitWhenReady(submit, fresh);
      form.addEventListener("submit", async (event) => {
        event.preventDefault();
        clearError(error);
        try {
          await withProgress(submit, channelCall(channel.key, "POST", `ecards/${encodeURIComponent(bindingId)}/password/reset`, {
            body: { verification_id: verificationId, new_password: fresh.value() },
          }));
          dropSession(bindingId);
          toast(t("password.reset.done"), "success");
          finish(donePanel(channel.key, bindingId, "password.reset.done"));
        } catch (err) {
          showError(error, err);
        }
      });
      return form;
    },
  });
  view.replaceChildren(h("h1", { i18n: "password.reset.heading" }), flow);
}
