// The words for an error code, from the platform's one catalogue (GET /v1/rules `errors`,
// src/common/error.cpp): a refusal in a chart, an audit outcome or an authentication
// attempt is shown as the platform words it, in Chinese or English, never as the bare
// code. Until the catalogue has loaded (or when a code is not in it) a neutral word
// stands in, so a person never reads PASSWORD_LOCKED.

import { language, registerStrings, t } from "./i18n.js";
import { loadRules } from "./rules.js";

registerStrings({
  zh: { "errors.unknown": "其他原因" },
  en: { "errors.unknown": "Other cause" },
});

const catalogue = new Map();
let loaded = null;

// Resolves once the catalogue is in; pages render their labels after it (a failed load
// leaves the neutral word).
export function loadErrorLabels() {
  loaded ??= loadRules()
    .then((rules) => {
      for (const entry of rules.errors ?? []) catalogue.set(entry.code, entry);
    })
    .catch(() => {});
  return loaded;
}

// The platform's words for `code` in the page's language, without the trailing full stop
// of the English sentence so it reads as a label.
export function errorLabel(code) {
  const entry = catalogue.get(code);
  if (!entry) return t("errors.unknown");
  const text = language() === "en" ? entry.message_en || entry.message : entry.message;
  return text.replace(/\.$/, "");
}
