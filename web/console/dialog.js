// A modal dialog for the counter actions that ask for something (a PIN, an account, a
// phone) or that are hard to undo. The action runs inside the dialog: it shows progress
// on the confirming button and the platform's refusal in the dialog, and closes only
// when the action succeeded or the operator cancels.

import { clearError, showError, withProgress } from "../shared/api.js";
import { h } from "../shared/dom.js";

/**
 * Opens a dialog; resolves with what `onConfirm(values)` resolved to, or null when
 * cancelled. `fields` are {name, label (i18n key), type?, inputmode?, maxlength?,
 * autocomplete?}; `values` maps each name to its trimmed input.
 */
export function openDialog({ title, message, messageVars, fields = [], confirmLabel, danger = false, testid, onConfirm }) {
  return new Promise((resolve) => {
    const inputs = fields.map((field) => h("input", {
      id: `dialog-${field.name}`,
      name: field.name,
      type: field.type ?? "text",
      inputmode: field.inputmode,
      maxlength: field.maxlength,
      autocomplete: field.autocomplete ?? "off",
      class: "mono",
      required: true,
      testid: `console-dialog-${field.name}`,
    }));
    const error = h("div", { class: "alert", hidden: true, testid: "console-dialog-error" });
    const confirm = h("button", {
      type: "submit", class: `btn ${danger ? "btn-danger" : "btn-primary"}`, i18n: confirmLabel, testid: "console-dialog-confirm",
    });
    const cancel = h("button", { type: "button", class: "btn", i18n: "common.cancel", testid: "console-dialog-cancel" });
    const form = h("form", { method: "dialog", novalidate: true },
      h("h2", { class: "panel-title", i18n: title }),
      message ? h("p", { i18n: message, vars: messageVars }) : null,
      fields.map((field, i) => h("div", { class: "field" },
        h("label", { for: inputs[i].id, i18n: field.label }), inputs[i])),
      error,
      h("div", { class: "row row--end" }, cancel, confirm));
    const dialog = h("dialog", { class: "dialog", testid: testid ?? "console-dialog" }, form);

    const finish = (result) => {
      dialog.close();
      dialog.remove();
      resolve(result);
    };
    cancel.addEventListener("click", () => finish(null));
    dialog.addEventListener("cancel", (event) => {
      event.preventDefault();
      if (!confirm.disabled) finish(null);
    });
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      clearError(error);
      // Only emptiness is checked here: formats are the platform's to judge, in its own words.
      const empty = inputs.find((input) => !input.value.trim());
      if (empty) {
        empty.setAttribute("aria-invalid", "true");
        empty.focus();
        return;
      }
      const values = Object.fromEntries(inputs.map((input) => [input.name, input.value.trim()]));
      try {
        finish(await withProgress(confirm, () => onConfirm(values)));
      } catch (err) {
        showError(error, err);
      }
    });
    for (const input of inputs) input.addEventListener("input", () => input.removeAttribute("aria-invalid"));

    document.body.append(dialog);
    dialog.showModal();
    (inputs[0] ?? confirm).focus();
  });
}
