// 异地就医备案 (R-X2): the cross-region care filings the HR counter made for this
// cardholder. Outpatient care in another province is settled only within one.

import { registerStrings } from "../../shared/i18n.js";
import { h } from "../../shared/dom.js";
import { namedCode } from "../../shared/ui.js";
import { channelCall } from "../channel.js";
import { withSession } from "../components/session.js";

registerStrings({
  zh: {
    "filings.heading": "异地就医备案",
    "filings.intro": "跨省异地门诊就医须先到人社窗口备案；省内就医和药店购药无须备案。电子社保卡全国通用，结算按参保地政策执行。",
    "filings.none": "暂无备案",
    "filings.period": "{from} 至 {to}",
  },
  en: {
    "filings.heading": "Cross-region care filings",
    "filings.intro": "Outpatient care in another province needs a filing at an HR counter first; care within the province and pharmacy purchases need none. The e-card works nationwide, settled under your insured region's policy.",
    "filings.none": "No filings",
    "filings.period": "{from} to {to}",
  },
});

export async function render(view, { channel, bindingId }) {
  const body = h("div", { class: "stack" });
  view.replaceChildren(h("h1", { i18n: "filings.heading" }), body);
  await withSession(channel.key, bindingId, body, async (token) => {
    const answer = await channelCall(channel.key, "GET", `ecards/${encodeURIComponent(bindingId)}/filings`, { session: token });
    body.replaceChildren(h("p", { class: "muted", i18n: "filings.intro" }),
      answer.items.length
        ? h("ul", { class: "list stack", testid: "filings" }, answer.items.map((f) =>
          h("li", { class: "panel row row--between", testid: "filing" },
            h("strong", {}, namedCode(f, "region")),
            h("span", { class: "mono", i18n: "filings.period", vars: { from: f.from, to: f.to } }))))
        : h("p", { class: "muted", testid: "filings-none", i18n: "filings.none" }));
  });
}
