// 社保查询 (R-R2): the cardholder's insurance history as the HR systems fed it, per
// insurance: the current status, the months paid, the gaps (断缴), a chart of the months
// paid per year (inline SVG, as the console's dashboard draws), and every month's base,
// employer's and personal amounts and employer. Amounts are integer fen from the platform.

import { registerStrings } from "../../shared/i18n.js";
import { yuan } from "../../shared/api.js";
import { h, svg } from "../../shared/dom.js";
import { kInsuranceEnglish } from "../../shared/insurance_names.js";
import { channelCall } from "../channel.js";
import { withSession } from "../components/session.js";

registerStrings({
  zh: {
    "insurance.heading": "社保查询",
    "insurance.status.paying": "正常参保",
    "insurance.status.interrupted": "暂停缴费",
    "insurance.status.none": "未参保",
    "insurance.months_paid": "累计缴费 {months} 个月",
    "insurance.range": "{first} 至 {last}",
    "insurance.gaps": "断缴（月数）：{gaps}",
    "insurance.per_year": "每年缴费月数",
    "insurance.months": "缴费明细",
    "insurance.base": "缴费基数",
    "insurance.employer_part": "单位缴纳",
    "insurance.personal_part": "个人缴纳",
    "insurance.none": "暂无缴费记录",
  },
  en: {
    "insurance.heading": "Insurance history",
    "insurance.status.paying": "Paying",
    "insurance.status.interrupted": "Interrupted",
    "insurance.status.none": "Not insured",
    "insurance.months_paid": "{months} months paid",
    "insurance.range": "{first} to {last}",
    "insurance.gaps": "Gaps (months): {gaps}",
    "insurance.per_year": "Months paid per year",
    "insurance.months": "Month by month",
    "insurance.base": "Base",
    "insurance.employer_part": "Employer",
    "insurance.personal_part": "Personal",
    "insurance.none": "No records yet",
  },
});

/** One bar per year from the first to the last, twelve months the full height. */
function yearChart(years) {
  const first = years[0].year, last = years[years.length - 1].year;
  const byYear = new Map(years.map((y) => [y.year, y.months]));
  const count = last - first + 1;
  const width = 320, height = 120, left = 24, bottom = 18, top = 6;
  const slot = (width - left) / count;
  const chart = svg("svg", { viewBox: `0 0 ${width} ${height}`, class: "insurance-chart", role: "img", "data-testid": "insurance-chart" });
  chart.append(svg("line", { x1: left, y1: height - bottom, x2: width, y2: height - bottom, stroke: "#8c959f" }));
  chart.append(svg("text", { x: left - 4, y: top + 8, "text-anchor": "end", "font-size": 10 }, "12"));
  for (let i = 0; i < count; ++i) {
    const year = first + i, months = byYear.get(year) ?? 0;
    const bar = (months / 12) * (height - bottom - top);
    const rect = svg("rect", { x: left + i * slot + 2, y: height - bottom - bar, width: Math.max(1, slot - 4), height: bar, fill: months === 12 ? "#2da44e" : "#bf8700" });
    rect.append(svg("title", {}, `${year}: ${months}`));
    chart.append(rect);
    if (count <= 8 || i % 2 === 0 || i === count - 1) {
      chart.append(svg("text", { x: left + i * slot + slot / 2, y: height - 4, "text-anchor": "middle", "font-size": 10 }, String(year).slice(2)));
    }
  }
  return chart;
}

function insuranceCard(item) {
  const status = h("span", { class: `badge badge--${item.status === "paying" ? "ok" : "error"}`, testid: "insurance-status", i18n: `insurance.status.${item.status}` });
  const title = h("h2", { class: "panel-title" }, h("span", { lang: "zh", text: item.name }), " ", h("span", { class: "muted small", text: kInsuranceEnglish[item.insurance] ?? "" }));
  if (!item.months.length) {
    return h("section", { class: "panel", testid: "insurance-item", dataset: { insurance: item.insurance } }, title, status, h("p", { class: "muted", i18n: "insurance.none" }));
  }
  const gaps = item.gaps.map((g) => `${g.from} – ${g.to} (${g.months})`).join(", ");
  const months = h("details", {},
    h("summary", { i18n: "insurance.months" }),
    h("ul", { class: "list records" }, [...item.months].reverse().map((m) =>
      h("li", { class: "record", testid: "insurance-month" },
        h("div", { class: "row row--between" }, h("strong", { class: "mono", text: m.period }), h("span", { text: m.employer_name })),
        h("div", { class: "row row--between" }, h("span", { class: "muted", i18n: "insurance.base" }), h("span", { class: "money", text: yuan(m.base_fen) })),
        h("div", { class: "row row--between" }, h("span", { class: "muted", i18n: "insurance.employer_part" }), h("span", { class: "money", text: yuan(m.employer_fen) })),
        h("div", { class: "row row--between" }, h("span", { class: "muted", i18n: "insurance.personal_part" }), h("span", { class: "money", text: yuan(m.personal_fen) }))))));
  return h("section", { class: "panel", testid: "insurance-item", dataset: { insurance: item.insurance } },
    title, status,
    h("p", { testid: "insurance-months-paid", i18n: "insurance.months_paid", vars: { months: item.months_paid } }),
    h("p", { class: "muted", i18n: "insurance.range", vars: { first: item.first_period, last: item.last_period } }),
    gaps ? h("p", { class: "muted", testid: "insurance-gaps", i18n: "insurance.gaps", vars: { gaps } }) : null,
    h("div", { class: "muted small", i18n: "insurance.per_year" }),
    yearChart(item.years),
    months);
}

export async function render(view, { channel, bindingId }) {
  const body = h("div", { class: "stack" });
  view.replaceChildren(h("h1", { i18n: "insurance.heading" }), body);
  await withSession(channel.key, bindingId, body, async (token) => {
    const answer = await channelCall(channel.key, "GET", `ecards/${encodeURIComponent(bindingId)}/insurance`, { session: token });
    body.replaceChildren(...answer.items.map(insuranceCard));
  });
}
