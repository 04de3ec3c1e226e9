// The e-card as the cardholder sees it at the top of its screens: the red card with the
// masked holder data, the binding's state and level.

import { registerStrings } from "../../shared/i18n.js";
import { h } from "../../shared/dom.js";
import { levelBadge, stateBadge } from "../../shared/ui.js";

registerStrings({
  zh: { "ecard.title": "中华人民共和国社会保障卡" },
  en: { "ecard.title": "PRC Social Security Card" },
});

// `fields`: name, id_number, card_no (masked or revealed), status, level.
export function ecardVisual(fields, extra = null) {
  return h("div", { class: `ecard ecard--${fields.status}`, testid: "ecard-visual", dataset: { status: fields.status, level: String(fields.level) } },
    h("div", { class: "ecard-top" },
      h("span", { class: "ecard-emblem", "aria-hidden": "true" }),
      h("span", { class: "ecard-title" }, h("span", { i18n: "ecard.title" }), h("small", { text: "Electronic Social Security Card" }))),
    h("div", { class: "ecard-name", testid: "ecard-name", text: fields.name }),
    fields.id_number ? h("div", { class: "ecard-line mono", testid: "ecard-id", text: fields.id_number }) : null,
    h("div", { class: "ecard-line mono", testid: "ecard-card-no", text: fields.card_no }),
    h("div", { class: "ecard-bottom" }, stateBadge("binding", fields.status), levelBadge(fields.level), extra));
}
