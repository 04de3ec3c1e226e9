// Unlinking the e-card from this channel at the cardholder's request (解除关联, R-E8): it
// takes the e-card password, and the e-card stays usable in the other channels.

import { registerStrings, t } from "../../shared/i18n.js";
import { clearError, showError, withProgress } from "../../shared/api.js";
import { h } from "../../shared/dom.js";
import { toast } from "../../shared/ui.js";
import { channelCall, rememberBinding } from "../channel.js";
import { existingPasswordField } from "../components/password_input.js";

registerStrings({
  zh: {
    "unlink.heading": "解除关联",
    "unlink.intro": "解除关联后，本渠道APP不能再使用这张电子社保卡；在其他渠道APP签发的电子社保卡不受影响。以后可在本渠道重新申领。",
    "unlink.submit": "确认解除关联",
    "unlink.done": "已在本渠道解除关联",
  },
  en: {
    "unlink.heading": "Unlink",
    "unlink.intro": "After unlinking, this channel app can no longer use the e-card; the e-card in other channel apps is not affected. You can apply again here later.",
    "unlink.submit": "Unlink from this channel",
    "unlink.done": "Unlinked from this channel",
  },
});

export async function render(view, { channel, bindingId, navigate }) {
  const password = existingPasswordField("unlink-password");
  const error = h("div", { hidden: true, testid: "unlink-error" });
  const submit = h("button", { type: "submit", class: "btn btn-danger btn-block", testid: "unlink-submit", i18n: "unlink.submit" });
  const form = h("form", { class: "panel stack", novalidate: true }, h("p", { i18n: "unlink.intro" }), password.element, submit, error);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    clearError(error);
    try {
      await withProgress(submit, channelCall(channel.key, "POST", `ecards/${encodeURIComponent(bindingId)}/unlink`, {
        body: { password: password.value() },
      }));
      rememberBinding(channel.key, { binding_id: bindingId, status: "unlinked" });
      toast(t("unlink.done"), "success");
      navigate(`#/c/${encodeURIComponent(channel.key)}`);
    } catch (err) {
      showError(error, err);
    }
  });
  view.replaceChildren(h("h1", { i18n: "unlink.heading" }), form);
}
