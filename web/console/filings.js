// Cross-region care filings (异地就医备案, R-X2) for the person on the desk: the HR
// counter lists, adds and withdraws them; an outpatient settlement in another province
// needs one covering the day.

import { clearError, showError, withProgress } from "../shared/api.js";
import { chinaDay } from "../shared/china_time.js";
import { h } from "../shared/dom.js";
import { t } from "../shared/i18n.js";
import { namedCode, toast } from "../shared/ui.js";
import { loadRules } from "../shared/rules.js";
import { call } from "./session.js";

function plusDays(date, days) {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * 86400 * 1000).toISOString().slice(0, 10);
}

function filingRow(person, filing, reload) {
  const remove = h("button", { type: "button", class: "btn btn-secondary", i18n: "console.filing.remove", testid: "console-filing-remove" });
  remove.addEventListener("click", async () => {
    await withProgress(remove, () =>
      call("DELETE", `/v1/persons/${encodeURIComponent(person.id_number)}/filings/${encodeURIComponent(filing.filing_id)}`));
    reload();
  });
  return h("tr", { testid: "console-filing-row" },
    h("td", {}, namedCode(filing, "region")),
    h("td", { class: "mono" }, `${filing.from} – ${filing.to}`),
    h("td", {}, remove));
}

// 就医地 is picked from the regions the platform settles in (GET /v1/rules `regions`), by
// name; the person's own region needs no filing and is left out.
function regionPicker(person, regions) {
  const choices = regions.filter((r) => r.code !== person.region_code);
  const label = (r) => `${namedCode({ region_code: r.code, region_name: r.name, region_name_en: r.name_en }, "region")} (${r.code})`;
  const options = choices.map((r) => h("option", { value: r.code }, label(r)));
  const select = h("select", { id: "filing-region", required: true, testid: "console-filing-region" }, options);
  window.addEventListener("languagechange", function follow() {
    if (!select.isConnected) window.removeEventListener("languagechange", follow);
    else options.forEach((option, i) => { option.textContent = label(choices[i]); });
  });
  return select;
}

function filingForm(person, regions, reload) {
  const region = regionPicker(person, regions);
  const from = h("input", { id: "filing-from", type: "date", value: chinaDay(), required: true, testid: "console-filing-from" });
  const to = h("input", { id: "filing-to", type: "date", value: plusDays(chinaDay(), 180), required: true, testid: "console-filing-to" });
  const error = h("div", { class: "alert", hidden: true, testid: "console-filing-error" });
  const submit = h("button", { type: "submit", class: "btn btn-primary", i18n: "console.filing.submit", testid: "console-filing-submit" });
  const form = h("form", { class: "console-issue", novalidate: true },
    h("div", { class: "row console-inline-form" },
      h("div", { class: "field" }, h("label", { for: "filing-region", i18n: "console.filing.region" }), region),
      h("div", { class: "field" }, h("label", { for: "filing-from", i18n: "console.filing.from" }), from),
      h("div", { class: "field" }, h("label", { for: "filing-to", i18n: "console.filing.to" }), to),
      submit),
    error);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    clearError(error);
    try {
      await withProgress(submit, () => call("POST", `/v1/persons/${encodeURIComponent(person.id_number)}/filings`,
        { treatment_region: region.value, from: from.value, to: to.value }));
      toast(t("console.filing.done"), "success");
      reload();
    } catch (err) {
      showError(error, err);
    }
  });
  return form;
}

/** The filings panel of an HR counter (hr_clerk); it loads itself. */
export function renderFilings(person) {
  const list = h("tbody", { testid: "console-filing-list" });
  const empty = h("p", { class: "muted", i18n: "console.filing.none", hidden: true });
  const panel = h("section", { class: "panel", testid: "console-filings-panel" },
    h("h2", { class: "panel-title", i18n: "console.filing.heading" }),
    h("p", { class: "muted", i18n: "console.filing.hint" }),
    h("table", { class: "table" }, list),
    empty);
  const reload = async () => {
    const answer = await call("GET", `/v1/persons/${encodeURIComponent(person.id_number)}/filings`);
    list.replaceChildren(...answer.items.map((filing) => filingRow(person, filing, reload)));
    empty.hidden = answer.items.length > 0;
  };
  loadRules().then((rules) => panel.append(filingForm(person, rules.regions ?? [], reload))).catch(() => {});
  reload().catch(() => {});
  return panel;
}
