// The platform's statistics for administrators (GET /v1/stats), drawn as inline SVG
// (the pages' CSP allows no remote scripts, and no third-party chart code is shipped):
// issuances per day by channel and level, settlements per day and their split, refusals
// by reason, and live bindings by status; and today's clearing between insured and
// treatment regions (GET /v1/clearing, R-X3).

import { showError, withProgress, yuan } from "../shared/api.js";
import { h, setText, svg } from "../shared/dom.js";
import { namedCode } from "../shared/ui.js";
import { chinaDay } from "../shared/china_time.js";
import { t } from "../shared/i18n.js";
import { errorLabel } from "../shared/errors.js";
import { call } from "./session.js";

const kDays = 14;
const kDayMs = 86400 * 1000;
const kColours = ["#1f6feb", "#2da44e", "#bf8700", "#cf222e", "#8250df", "#1b7c83", "#9a6700", "#6e7781"];
const el = (id) => document.getElementById(id);

let last = null;

function legend(series) {
  return h("ul", { class: "console-chart-legend" }, series.map((s, i) => {
    const swatch = h("span", { class: "console-chart-swatch" });
    swatch.style.background = kColours[i % kColours.length];  // CSSOM, which the CSP allows
    return h("li", {}, swatch, s.name);
  }));
}

/** Stacked bars, one per label; series: [{name, values: [number per label]}]. */
function stackedBars(labels, series, format = String) {
  const width = 420, height = 200, left = 64, bottom = 24, top = 10;
  const totals = labels.map((_, i) => series.reduce((sum, s) => sum + s.values[i], 0));
  const max = Math.max(1, ...totals);
  const slot = (width - left - 12) / Math.max(1, labels.length);  // room for the last date
  const scale = (value) => (value / max) * (height - bottom - top);
  const chart = svg("svg", { viewBox: `0 0 ${width} ${height}`, class: "console-chart", role: "img" });
  chart.append(svg("line", { x1: left, y1: height - bottom, x2: width, y2: height - bottom, stroke: "#8c959f" }));
  chart.append(svg("text", { x: left - 6, y: top + 10, "text-anchor": "end", "font-size": 13 }, format(max)));
  labels.forEach((label, i) => {
    let y = height - bottom;
    series.forEach((s, k) => {
      const bar = scale(s.values[i]);
      if (bar <= 0) return;
      y -= bar;
      const rect = svg("rect", { x: left + i * slot + 2, y, width: Math.max(1, slot - 4), height: bar, fill: kColours[k % kColours.length] });
      rect.append(svg("title", {}, `${label} ${s.name}: ${format(s.values[i])}`));
      chart.append(rect);
    });
    // Every other day's date where fourteen would crowd the axis; the last day always.
    if (labels.length <= 7 || (labels.length - 1 - i) % 2 === 0) {
      chart.append(svg("text", { x: left + i * slot + slot / 2, y: height - 6, "text-anchor": "middle", "font-size": 12 }, label.slice(5)));
    }
  });
  return h("div", {}, chart, legend(series));
}

/** Horizontal bars; rows: [{name, value}]. */
// `text` cut to fit `pixels` of a 12 px label (a CJK character is about 12 px wide, a
// Latin one about 7), with an ellipsis at the end rather than letters lost at the start.
function fitted(text, pixels) {
  const widthOf = (ch) => (/[\u2E80-\uFFEF]/.test(ch) ? 12 : 7);
  const chars = [...text];
  if (chars.reduce((sum, ch) => sum + widthOf(ch), 0) <= pixels) return text;
  let width = 12;  // the ellipsis
  let out = "";
  for (const ch of chars) {
    width += widthOf(ch);
    if (width > pixels) break;
    out += ch;
  }
  return `${out}…`;
}

function horizontalBars(rows) {
  if (!rows.length) return h("p", { class: "muted", i18n: "console.stats.nothing" });
  const width = 420, row = 26, left = 200;
  const max = Math.max(1, ...rows.map((r) => r.value));
  const chart = svg("svg", { viewBox: `0 0 ${width} ${rows.length * row + 4}`, class: "console-chart", role: "img" });
  rows.forEach((r, i) => {
    const y = i * row + 2;
    const label = svg("text", { x: left - 8, y: y + 15, "text-anchor": "end", "font-size": 12 }, fitted(r.name, left - 12));
    label.append(svg("title", {}, r.name));
    chart.append(label);
    chart.append(svg("rect", { x: left, y, width: Math.max(1, ((width - left - 40) * r.value) / max), height: row - 6, fill: kColours[i % kColours.length] }));
    chart.append(svg("text", { x: left + ((width - left - 40) * r.value) / max + 4, y: y + 15, "font-size": 12 }, String(r.value)));
  });
  return chart;
}

function issuanceSeries(days) {
  const keys = new Map();
  days.forEach((day, i) => day.issuances.forEach((x) => {
    const key = `${x.channel_name} · ${t(`level.${x.level}`)}`;
    if (!keys.has(key)) keys.set(key, new Array(days.length).fill(0));
    keys.get(key)[i] += x.count;
  }));
  return [...keys].map(([name, values]) => ({ name, values }));
}

function settlementSeries(days) {
  return ["pharmacy", "outpatient"].map((visit) => ({
    name: t(`console.stats.visit.${visit}`),
    values: days.map((day) => day.settlements.filter((s) => s.visit === visit).reduce((sum, s) => sum + s.count, 0)),
  }));
}

function splitSeries(days) {
  return ["fund_fen", "account_fen", "self_pay_fen"].map((part) => ({
    name: t(`console.stats.part.${part}`),
    values: days.map((day) => day.settlements.reduce((sum, s) => sum + s[part], 0)),
  }));
}

// Each refusal named in the platform's words (its error catalogue), the code kept for the
// label's tooltip.
function refusalRows(days) {
  const counts = new Map();
  for (const day of days) for (const r of day.refusals) counts.set(r.code, (counts.get(r.code) ?? 0) + r.count);
  return [...counts].sort((a, b) => b[1] - a[1]).map(([code, value]) => ({ name: errorLabel(code), value }));
}

function figure(key, testid, content) {
  return h("figure", { class: "console-figure", testid }, h("figcaption", { i18n: key }), content);
}

function render(stats) {
  const labels = stats.days.map((d) => d.date);
  const live = Object.entries(stats.live_bindings).map(([status, value]) => ({ name: t(`binding.${status}`), value }));
  el("stats-charts").replaceChildren(
    figure("console.stats.issuances", "console-stats-issuances", stackedBars(labels, issuanceSeries(stats.days))),
    figure("console.stats.settlements", "console-stats-settlements", stackedBars(labels, settlementSeries(stats.days))),
    figure("console.stats.split", "console-stats-split", stackedBars(labels, splitSeries(stats.days), yuan)),
    figure("console.stats.refusals", "console-stats-refusals", horizontalBars(refusalRows(stats.days))),
    figure("console.stats.live", "console-stats-live", horizontalBars(live)));
  const added = stats.days.reduce((sum, d) => sum + d.family_members_added, 0);
  // R-K6: what the risk rules opened, for the fund's auditors.
  const count = (key) => stats.days.reduce((sum, d) => sum + (d[key] ?? []).reduce((n, c) => n + c.count, 0), 0);
  setText(el("stats-family"), "console.stats.family", { n: added, cases: count("risk_cases"), stepups: count("risk_decisions") });
}

// A clearing line names both regions (insured_region_name, treatment_region_name, _en).
function regionName(line, side) {
  return namedCode({ region_code: line[`${side}_region`], region_name: line[`${side}_region_name`],
    region_name_en: line[`${side}_region_name_en`] }, "region");
}

function renderClearing(clearing) {
  const rows = clearing.items.map((line) => h("tr", { testid: "console-clearing-line", dataset: { insured: line.insured_region, treatment: line.treatment_region } },
    h("td", {}, regionName(line, "insured")),
    // Treated where insured is local care, not a cross-region line: said so, not 宁波市→宁波市.
    line.insured_region === line.treatment_region
      ? h("td", { class: "muted", testid: "console-clearing-local", i18n: "console.clearing.local" })
      : h("td", {}, regionName(line, "treatment")),
    h("td", { class: "num" }, String(line.settlements)),
    h("td", { class: "num" }, String(line.refunds)),
    h("td", { class: "num" }, yuan(line.fund_fen)),
    h("td", { class: "num" }, yuan(line.account_fen))));
  const head = ["insured", "treatment", "settlements", "refunds", "fund", "account"].map((key) =>
    h("th", { i18n: `console.clearing.col.${key}` }));
  el("stats-clearing").replaceChildren(
    h("h3", { i18n: "console.clearing.heading", vars: { date: clearing.date } }),
    clearing.items.length
      ? h("div", { class: "table-wrap" }, h("table", { class: "table" }, h("thead", {}, h("tr", {}, head)), h("tbody", {}, rows)))
      : h("p", { class: "muted", i18n: "console.stats.nothing" }));
}

export async function openStats() {
  el("stats-panel").hidden = false;
  const to = chinaDay(Date.now());
  const from = chinaDay(Date.now() - (kDays - 1) * kDayMs);
  try {
    last = await withProgress(el("stats-reload"), () => call("GET", `/v1/stats?from=${from}&to=${to}`));
    render(last);
    renderClearing(await call("GET", `/v1/clearing?date=${to}`));
  } catch (err) {
    showError(el("stats-error"), err);
  }
}

export function closeStats() {
  el("stats-panel").hidden = true;
  el("stats-charts").replaceChildren();
  el("stats-clearing").replaceChildren();
  last = null;
}

export function mountStats() {
  el("stats-reload").addEventListener("click", openStats);
  window.addEventListener("languagechange", () => {
    if (last && !el("stats-panel").hidden) render(last);
  });
}
