// The card face (R-U3): masked by default; the eye shows name, ID number and card number
// in full, which the platform allows only under an open e-card session.

import { registerStrings } from "../../shared/i18n.js";
import { namedCode } from "../../shared/ui.js";
import { showError, withProgress } from "../../shared/api.js";
import { h, setText } from "../../shared/dom.js";
import { channelCall } from "../channel.js";
import { ecardVisual } from "../components/ecard_visual.js";
import { withSession } from "../components/session.js";

registerStrings({
  zh: {
    "face.show": "显示完整信息",
    "face.hide": "隐藏信息",
    "face.region": "参保地",
    "face.bank": "发卡银行",
    "face.masked_note": "卡面信息默认隐藏，点击眼睛图标查看完整信息。",
  },
  en: {
    "face.show": "Show in full",
    "face.hide": "Hide",
    "face.region": "Insured region",
    "face.bank": "Issuing bank",
    "face.masked_note": "The card face is masked; tap the eye to see it in full.",
  },
});

export async function render(view, { channel, bindingId }) {
  const body = h("div", { class: "stack" });
  view.replaceChildren(h("h1", { i18n: "ecard.action.face" }), body);
  await withSession(channel.key, bindingId, body, async (token) => {
    const path = `ecards/${encodeURIComponent(bindingId)}/card-face`;
    const error = h("div", { hidden: true, testid: "face-error" });
    const eye = h("button", { type: "button", class: "eye", testid: "eye-toggle", "aria-pressed": "false" },
      h("span", { class: "eye-icon", "aria-hidden": "true" }), h("span", { class: "eye-label" }));
    const holder = h("div");
    const details = h("dl", { class: "kv panel" });
    const show = (face) => {
      holder.replaceChildren(ecardVisual({ name: face.name, id_number: face.id_number, card_no: face.card_no, status: face.status, level: face.level }, eye));
      details.replaceChildren(
        h("dt", { i18n: "face.region" }), h("dd", { testid: "face-region", text: namedCode(face, "region") }),
        h("dt", { i18n: "face.bank" }), h("dd", { testid: "face-bank", text: namedCode(face, "bank") }));
      eye.setAttribute("aria-pressed", String(face.revealed));
      setText(eye.querySelector(".eye-label"), face.revealed ? "face.hide" : "face.show");
    };
    let revealed = false;
    let current = await channelCall(channel.key, "GET", path, { session: token });
    show(current);
    window.addEventListener("languagechange", () => details.isConnected && show(current));
    eye.addEventListener("click", async () => {
      try {
        const face = await withProgress(eye, channelCall(channel.key, "GET", revealed ? path : `${path}?reveal=true`, { session: token }));
        revealed = face.revealed;
        current = face;
        show(face);
      } catch (err) {
        showError(error, err);
      }
    });
    body.replaceChildren(holder, error, details, h("p", { class: "muted", i18n: "face.masked_note" }));
  });
}
