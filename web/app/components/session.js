// Opening the e-card with its password (R-U1): the short e-card session that lets the QR
// code refresh and the card face show without asking again. Wrong passwords say how many
// tries are left; the fifth locks the password until the time shown or a reset (R-W4).

import { registerStrings } from "../../shared/i18n.js";
import { clearError, showError, withProgress } from "../../shared/api.js";
import { h } from "../../shared/dom.js";
import { dropSession, openSession, sessionOf } from "../channel.js";
import { existingPasswordField } from "./password_input.js";

registerStrings({
  zh: {
    "session.heading": "验证电子社保卡密码",
    "session.hint": "各渠道APP的电子社保卡密码共用。",
    "session.open": "确定",
    "session.forgot": "忘记密码？重置密码",
    "session.cancel_loss": "解除挂失",
  },
  en: {
    "session.heading": "Enter your e-card password",
    "session.hint": "All channel apps share one e-card password.",
    "session.open": "Continue",
    "session.forgot": "Forgot it? Reset the password",
    "session.cancel_loss": "Cancel the loss report",
  },
});

// Runs `use(token)` in `container` once a session is open, asking for the password first
// when there is none. `use` may throw; SESSION_INVALID (expired, or the password changed)
// drops the session and asks again.
export function withSession(channel, bindingId, container, use) {
  const run = async (token) => {
    try {
      await use(token);
    } catch (err) {
      if (err.code !== "SESSION_INVALID") throw err;
      dropSession(bindingId);
      ask();
    }
  };
  const ask = () => {
    const field = existingPasswordField("session-password");
    const error = h("div", { hidden: true, testid: "session-error" });
    const submit = h("button", { type: "submit", class: "btn btn-primary btn-block", testid: "session-open", i18n: "session.open" });
    const here = `#/c/${encodeURIComponent(channel)}/e/${encodeURIComponent(bindingId)}`;
    const reset = `${here}/reset`;
    const way = h("div");
    const form = h("form", { class: "panel stack", novalidate: true, testid: "session-form" },
      h("h2", { i18n: "session.heading" }),
      h("p", { class: "muted", i18n: "session.hint" }),
      field.element, submit, error, way,
      h("a", { href: reset, i18n: "session.forgot" }));
    // The button stays busy until what the password opens is on the screen (the code
    // shown, the card face drawn), so a second tap cannot open a second session.
    let busy = false;
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      if (busy) return;
      busy = true;
      clearError(error);
      way.replaceChildren();
      try {
        await withProgress(submit, async () => run(await openSession(channel, bindingId, field.value())));
      } catch (err) {
        if (err.code === "PASSWORD_INCORRECT" || err.code === "INVALID_PASSWORD_FORMAT") field.clear();
        showError(error, err);
        // A suspended e-card opens no session: the way forward is 解除挂失.
        way.replaceChildren(err.code === "ECARD_SUSPENDED"
          ? h("a", { class: "btn btn-primary btn-block", href: `${here}/cancel-loss`, testid: "session-way-cancel-loss", i18n: "session.cancel_loss" })
          : "");
      } finally {
        busy = false;
      }
    });
    container.replaceChildren(form);
    field.input.focus();
  };
  const token = sessionOf(bindingId);
  if (token) return run(token);
  ask();
  return Promise.resolve();
}
