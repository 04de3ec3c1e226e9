// The numbered steps of a longer task, so the cardholder always sees where they are.

import { h } from "../../shared/dom.js";

export function stepIndicator(keys, current) {
  return h("ol", { class: "steps", testid: "steps" },
    keys.map((key, i) => h("li", {
      class: i < current ? "done" : i === current ? "current" : "",
      "aria-current": i === current ? "step" : null,
    }, h("span", { class: "step-no", text: i + 1 }), h("span", { i18n: key }))));
}
