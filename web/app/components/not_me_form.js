// "Not me" (不是我本人, R-K5): the e-card password, then the card is reported lost in every
// channel and the case goes to the fund's auditors. Used on a security check (screens/risk.js)
// and on a use of the authentication history (screens/account.js); `path` is the not-me
// route of what is answered.

import { registerStrings, t } from "../../shared/i18n.js";
import { clearError, showError, withProgress } from "../../shared/api.js";
import { h } from "../../shared/dom.js";
import { toast } from "../../shared/ui.js";
import { channelCall, dropSession } from "../channel.js";
import { existingPasswordField } from "./password_input.js";

registerStrings({
  zh: {
    "not_me": "不是我本人",
    "not_me.intro": "如果这不是您本人的操作，请输入电子社保卡密码：社保卡将立即挂失，所有渠道的电子社保卡暂停使用，并提交医保基金核查。",
    "not_me.submit": "挂失并提交核查",
    "not_me.done": "已挂失并提交核查。如有疑问请拨打12333。",
  },
  en: {
    "not_me": "Not me",
    "not_me.intro": "If this was not you, enter your e-card password: the card is reported lost at once, the e-card is suspended in every channel, and the fund's auditors look into it.",
    "not_me.submit": "Report lost and ask for a review",
    "not_me.done": "Reported lost and sent for review. Questions: call 12333.",
  },
});

// The form; `done()` runs once the platform has taken the answer.
export function notMeForm(channelKey, bindingId, path, token, done) {
  const password = existingPasswordField("not-me-password");
  const error = h("div", { hidden: true, testid: "not-me-error" });
  const submit = h("button", { type: "submit", class: "btn btn-danger btn-block", testid: "not-me-submit", i18n: "not_me.submit" });
  const form = h("form", { class: "stack", novalidate: true, testid: "not-me-form" },
    h("p", { class: "alert alert--warn", i18n: "not_me.intro" }), password.element, submit, error);
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    clearError(error);
    try {
      await withProgress(submit, channelCall(channelKey, "POST", path, { body: { password: password.value() }, session: token }));
      dropSession(bindingId);
      toast(t("not_me.done"), "success");
      done();
    } catch (err) {
      if (err.code === "PASSWORD_INCORRECT") password.clear();
      showError(error, err);
    }
  });
  return form;
}
