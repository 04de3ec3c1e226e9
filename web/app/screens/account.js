// Self-service query (R-U7): the personal medical account balance and this year's figures,
// and the records by kind: settlements, account movements, contributions, benefits and the
// e-card's authentication history. Amounts are integer fen from the platform. A record
// that is an audited change shows whether this phone found it in the audit log (R-S8,
// components/audit_mark.js).

import { registerStrings, t } from "../../shared/i18n.js";
import { clearError, showError, withProgress, yuan } from "../../shared/api.js";
import { h } from "../../shared/dom.js";
import { errorLabel, loadErrorLabels } from "../../shared/errors.js";
import { formatDateTime } from "../../shared/ui.js";
import { channelCall } from "../channel.js";
import { auditChecker } from "../components/audit_mark.js";
import { notMeForm } from "../components/not_me_form.js";
import { withSession } from "../components/session.js";

registerStrings({
  zh: {
    "account.balance": "医保个人账户余额",
    "account.year": "{year} 年度",
    "account.fund_paid": "本年统筹基金已支付",
    "account.deductible_used": "本年起付线已累计",
    "account.records": "记录",
    "account.more": "加载更多",
    "records.settlements": "医保结算",
    "records.account": "个人账户",
    "records.contributions": "缴费",
    "records.benefits": "待遇",
    "records.auth": "认证记录",
    "records.visit.pharmacy": "药店购药",
    "records.visit.outpatient": "门诊",
    "records.total": "总额",
    "records.fund": "统筹基金",
    "records.account_part": "个人账户",
    "records.self_pay": "自付",
    "records.self_pay.cash": "现金",
    "records.self_pay.bank": "银行卡",
    "records.status.settled": "已结算",
    "records.status.refunded": "已退款",
    "records.balance_after": "余额 {amount}",
    "records.insurance.resident_medical": "城乡居民医保",
    "records.insurance.flexible_pension": "灵活就业养老保险",
    "records.benefit.pension": "养老金",
    "records.benefit.unemployment": "失业金",
    "records.benefit.medical_reimbursement": "医疗报销",
    "records.auth.password": "密码验证",
    "records.auth.session_open": "打开电子社保卡",
    "records.auth.face": "人脸识别",
    "records.auth.four_factor": "银行四要素",
    "records.auth.sms": "短信验证",
    "records.auth.family_code": "亲情账户出示代码",
    "records.auth.other": "身份认证",
    "records.auth.not_me": "已报告非本人",
    "records.outcome.ok": "成功",
    "records.via": "来自 {channel}",
    "records.items_not_kept": "药品明细以机构小票为准",
  },
  en: {
    "account.balance": "Medical personal account",
    "account.year": "Year {year}",
    "account.fund_paid": "Pooled fund paid this year",
    "account.deductible_used": "Deductible used this year",
    "account.records": "Records",
    "account.more": "Load more",
    "records.settlements": "Settlements",
    "records.account": "Account",
    "records.contributions": "Contributions",
    "records.benefits": "Benefits",
    "records.auth": "Sign-ins",
    "records.visit.pharmacy": "Pharmacy",
    "records.visit.outpatient": "Outpatient",
    "records.total": "Total",
    "records.fund": "Pooled fund",
    "records.account_part": "Personal account",
    "records.self_pay": "Self-pay",
    "records.self_pay.cash": "cash",
    "records.self_pay.bank": "bank card",
    "records.status.settled": "Settled",
    "records.status.refunded": "Refunded",
    "records.balance_after": "Balance {amount}",
    "records.insurance.resident_medical": "Resident medical insurance",
    "records.insurance.flexible_pension": "Flexible-employment pension",
    "records.benefit.pension": "Pension",
    "records.benefit.unemployment": "Unemployment benefit",
    "records.benefit.medical_reimbursement": "Medical reimbursement",
    "records.auth.password": "Password check",
    "records.auth.session_open": "E-card opened",
    "records.auth.face": "Face verification",
    "records.auth.four_factor": "Bank four factors",
    "records.auth.sms": "SMS code",
    "records.auth.family_code": "Family member's code shown",
    "records.auth.other": "Identity check",
    "records.auth.not_me": "Reported as not you",
    "records.outcome.ok": "Passed",
    "records.via": "From {channel}",
    "records.items_not_kept": "The items are on the institution's receipt",
  },
});

const kKinds = ["settlements", "account", "contributions", "benefits", "auth"];

// A label from a server code: the translation when there is one, `fallback` otherwise
// (a code is never shown to the cardholder as it is).
function labelled(prefix, code, fallback = null) {
  const key = `${prefix}.${code}`;
  return h("span", { i18n: fallback && t(key) === key ? fallback : key });
}

// Why an attempt failed, in the platform's words (its error catalogue), following the language.
function outcomeBadge(code) {
  const badge = h("span", { class: "badge badge--error", testid: "record-outcome", dataset: { code } });
  const fill = () => {
    badge.textContent = errorLabel(code);
  };
  fill();
  window.addEventListener("languagechange", function follow() {
    if (badge.isConnected) fill();
    else window.removeEventListener("languagechange", follow);
  });
  return badge;
}

function amountLine(key, fen) {
  return h("div", { class: "row row--between" }, h("span", { class: "muted", i18n: key }), h("span", { class: "money", text: yuan(fen) }));
}

const kRenderers = {
  settlements: (r) => [
    h("div", { class: "row row--between" }, h("strong", {}, labelled("records.visit", r.visit)), h("span", { class: "money strong", text: yuan(r.total_fen) })),
    r.institution_name ? h("div", { class: "record-place", testid: "record-institution", text: r.institution_name }) : null,
    amountLine("records.fund", r.fund_fen),
    amountLine("records.account_part", r.account_fen),
    h("div", { class: "row row--between" },
      h("span", { class: "muted" }, h("span", { i18n: "records.self_pay" }), " · ", labelled("records.self_pay", r.self_pay_method)),
      h("span", { class: "money", text: yuan(r.self_pay_fen) })),
    h("div", { class: "row row--between" },
      h("span", { class: `badge badge--${r.status === "refunded" ? "error" : "ok"}`, i18n: `records.status.${r.status}` }),
      h("span", { class: "muted mono", text: r.order_id })),
    h("div", { class: "muted small", i18n: "records.items_not_kept" }),
  ],
  account: (r) => [
    h("div", { class: "row row--between" }, h("strong", { text: r.memo || r.kind }), h("span", { class: `money ${r.amount_fen < 0 ? "negative" : "positive"}`, text: yuan(r.amount_fen) })),
    h("div", { class: "muted", i18n: "records.balance_after", vars: { amount: yuan(r.balance_after_fen) } }),
  ],
  contributions: (r) => [
    h("div", { class: "row row--between" }, h("strong", {}, labelled("records.insurance", r.insurance)), h("span", { class: "money", text: yuan(r.amount_fen) })),
    h("div", { class: "muted", text: r.period }),
  ],
  benefits: (r) => [
    h("div", { class: "row row--between" }, h("strong", {}, labelled("records.benefit", r.kind)), h("span", { class: "money", text: yuan(r.amount_fen) })),
    h("div", { class: "muted", text: r.period }),
  ],
  auth: (r) => [
    h("div", { class: "row row--between" }, h("strong", {}, labelled("records.auth", r.kind, "records.auth.other")),
      r.outcome === "ok" ? h("span", { class: "badge badge--ok", i18n: "records.outcome.ok" }) : outcomeBadge(r.outcome)),
    r.channel_name ? h("div", { class: "muted", testid: "record-channel", i18n: "records.via", vars: { channel: r.channel_name } }) : null,
  ],
};

// R-K5: a use the cardholder does not recognise is answered "not me" (the password, then
// the card is reported lost and the auditors get a case).
function notMeAction(channel, bindingId, record) {
  const area = h("div", { class: "stack" });
  if (record.status === "not_me") {
    area.append(h("span", { class: "badge badge--warn", testid: "record-not-me-answered", i18n: "records.auth.not_me" }));
    return area;
  }
  const path = `ecards/${encodeURIComponent(bindingId)}/records/auth/${encodeURIComponent(record.event_id)}/not-me`;
  const button = h("button", { type: "button", class: "btn btn-link", testid: "record-not-me", i18n: "not_me" });
  button.addEventListener("click", () => withSession(channel, bindingId, area, async (token) => {
    area.replaceChildren(notMeForm(channel, bindingId, path, token, () =>
      area.replaceChildren(h("p", { class: "alert alert--success", testid: "record-not-me-done", i18n: "not_me.done" }))));
  }));
  area.append(button);
  return area;
}

function recordList(channel, bindingId, kind, audit) {
  const list = h("ul", { class: "list records", testid: `records-${kind}` });
  const error = h("div", { hidden: true });
  const more = h("button", { type: "button", class: "btn btn-secondary btn-block", hidden: true, i18n: "account.more" });
  let cursor = null;
  const load = async () => {
    clearError(error);
    const query = new URLSearchParams({ kind, limit: "20" });
    if (cursor) query.set("cursor", cursor);
    try {
      const page = await withProgress(more, channelCall(channel, "GET", `ecards/${encodeURIComponent(bindingId)}/records?${query}`));
      for (const record of page.items) {
        list.append(h("li", { class: "record", dataset: { kind } }, kRenderers[kind](record),
          h("div", { class: "muted small", text: formatDateTime(record.at) }), audit.mark(record),
          kind === "auth" ? notMeAction(channel, bindingId, record) : null));
      }
      if (!list.children.length) list.append(h("li", { class: "muted", i18n: "common.none" }));
      cursor = page.next_cursor;
      more.hidden = !cursor;
      audit.checkAll();
    } catch (err) {
      showError(error, err);
    }
  };
  more.addEventListener("click", load);
  return { element: h("div", {}, list, error, more), load };
}

export async function render(view, { channel, bindingId }) {
  await loadErrorLabels();
  const summary = await channelCall(channel.key, "GET", `ecards/${encodeURIComponent(bindingId)}/account`);
  const holder = h("div", { role: "tabpanel", id: "records-tabpanel" });
  const unlock = h("div", { class: "stack", testid: "audit-unlock-holder" });
  const audit = auditChecker(channel.key, bindingId, unlock);
  const tabs = kKinds.map((kind) =>
    h("button", { type: "button", class: "tab", role: "tab", id: `records-tab-${kind}`, "aria-controls": "records-tabpanel", testid: `records-tab-${kind}`, dataset: { kind }, i18n: `records.${kind}`, on: { click: () => show(kind) } }));
  const show = async (kind) => {
    for (const tab of tabs) {
      const selected = tab.dataset.kind === kind;
      tab.setAttribute("aria-selected", String(selected));
      tab.tabIndex = selected ? 0 : -1;
    }
    holder.setAttribute("aria-labelledby", `records-tab-${kind}`);
    const records = recordList(channel.key, bindingId, kind, audit);
    holder.replaceChildren(unlock, records.element);
    await records.load();
  };
  view.replaceChildren(
    h("h1", { i18n: "ecard.action.account" }),
    h("section", { class: "panel balance-panel", testid: "balance" },
      h("div", { class: "muted", i18n: "account.balance" }),
      h("div", { class: "balance money", testid: "balance-amount", text: yuan(summary.medical_account_balance_fen) }),
      h("div", { class: "muted", i18n: "account.year", vars: { year: summary.year } }),
      h("dl", { class: "kv" },
        h("dt", { i18n: "account.fund_paid" }), h("dd", { class: "money", text: yuan(summary.fund_paid_this_year_fen) }),
        h("dt", { i18n: "account.deductible_used" }), h("dd", { class: "money", text: yuan(summary.deductible_used_fen) }))),
    h("section", { class: "panel" },
      h("h2", { class: "panel-title", i18n: "account.records" }),
      h("div", { class: "tabs tabs--scroll", role: "tablist" }, tabs),
      holder),
  );
  await show("settlements");
}
