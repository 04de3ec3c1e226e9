// The verify-then-act pattern shared by reset password, cancel loss, upgrade and the
// step-up of risk control: start a verification of `purpose` for the binding (with the
// fields of `extra`), run the face/SMS steps, then `act` with the verified id. Refusals at
// the start (e.g. the card is still lost) show here verbatim.

import { clearError, showError, withProgress } from "../../shared/api.js";
import { h } from "../../shared/dom.js";
import { focusHeading } from "../../shared/ui.js";
import { channelCall } from "../channel.js";
import { stepIndicator } from "./steps.js";
import { verificationFlow } from "./verify.js";

// `stepKeys`: labels of [start, verify, act, done]; `intro` is shown with the start button;
// `act(verificationId, level, finish)` returns the element of the third step, or calls
// finish(element) to show the last one.
export function verifiedAction({ channel, bindingId, purpose, extra = {}, stepKeys, intro, startKey, act }) {
  const body = h("div", { class: "stack" });
  const show = (step, ...content) => {
    body.replaceChildren(stepIndicator(stepKeys, step), ...content);
    if (step > 0) focusHeading(body);
  };
  const error = h("div", { hidden: true, testid: "start-error" });
  const start = h("button", { type: "button", class: "btn btn-primary btn-block", testid: "verify-start", i18n: startKey });
  start.addEventListener("click", async () => {
    clearError(error);
    try {
      const verification = await withProgress(start, channelCall(channel, "POST", "verifications", { body: { purpose, binding_id: bindingId, ...extra } }));
      show(1, verificationFlow(channel, verification, async (level) => {
        let finished = false;
        const finish = (done) => {
          finished = true;
          show(3, done);
        };
        try {
          const next = await act(verification.verification_id, level, finish);
          if (!finished) show(2, next);
        } catch (err) {
          const box = h("div", { testid: "act-error" });
          show(2, box);
          showError(box, err);
        }
      }, purpose));
    } catch (err) {
      showError(error, err);
    }
  });
  show(0, h("section", { class: "panel stack" }, intro, start, error));
  return body;
}
