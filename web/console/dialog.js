// A modal dialog for the counter actions that ask for something (a PIN, an account, a
// phone) or that are hard to undo. The action runs inside the dialog: it shows progress
// on the confirming button and the platform's refusal in the dialog, and closes only
// when the action succeeded or the operator cancels.

import { clearError, showError, withProgress } from "../shared/api.js";
import { h, setText } from "../shared/dom.js";
import { passwordChecks } from "../shared/password_rules.js";

/**
 * Opens a dialog; resolves with what `onConfirm(values)` resolved to, or null when
 * cancelled. `fields` are {name, label (i18n key), type?, inputmode?, maxlength?,
 * autocomplete?, pin? (held to the weak-PIN rules), confirms? (must equal that field),
 * send? (false: checked here, not sent)}; `values` maps each sent name to its trimmed
 * input. `summary` is shown above the fields: what the action acts on.
 */
// The key of what is wrong with one field, or null: a PIN must be six digits and pass
// the weak-password rules the platform applies (R-W2's digit rules), and a repeat must
// equal its first entry.
function fieldProblem(field, input, inputs) {
  const value = input.value.trim();
  if (field.pin) {
    if (!/^[0-9]{6}$/.test(value)) return "console.form.pin_six_digits";
    const broken = passwordChecks(value, null).find((c) => !c.ok);
    if (broken) return `password.reason.${broken.rule}`;
  }
  if (field.confirms && value !== inputs.find((i) => i.name === field.confirms).value.trim()) return "console.form.pin_mismatch";
  return null;
}

export function openDialog({ title, message, messageVars, summary, fields = [], confirmLabel, danger = false, testid, onConfirm }) {
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
      summary ?? null,
      fields.map((field, i) => h("div", { class: "field" },
        h("label", { for: inputs[i].id, i18n: field.label }), inputs[i],
        h("span", { class: "field-error", id: `dialog-${field.name}-error`, testid: `console-dialog-${field.name}-error` }))),
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
      const wrong = fields.map((field, i) => [inputs[i], fieldProblem(field, inputs[i], inputs)]).find(([, key]) => key);
      if (wrong) {
        wrong[0].setAttribute("aria-invalid", "true");
        setText(form.querySelector(`#dialog-${wrong[0].name}-error`), wrong[1]);
        wrong[0].focus();
        return;
      }
      const values = Object.fromEntries(inputs.filter((_, i) => fields[i].send !== false).map((input) => [input.name, input.value.trim()]));
      try {
        finish(await withProgress(confirm, () => onConfirm(values)));
      } catch (err) {
        showError(error, err);
      }
    });
    for (const input of inputs) {
      input.addEventListener("input", () => {
        input.removeAttribute("aria-invalid");
        const line = form.querySelector(`#dialog-${input.name}-error`);
        delete line.dataset.i18n;
        line.textContent = "";
      });
    }

    document.body.append(dialog);
    dialog.showModal();
    (inputs[0] ?? confirm).focus();
  });
}
