// Security checks (R-K1, R-K5): the decisions risk control took about the cardholder,
// newest first. An open step-up is cleared by confirming "it is me" with a face or SMS
// check (purpose step_up); a refusal only time lifts. Any one can be answered "not me"
// with the e-card password, which reports the card lost and sends the case to the fund's
// auditors.

import { registerStrings, t } from "../../shared/i18n.js";
import { h } from "../../shared/dom.js";
import { formatDateTime, toast } from "../../shared/ui.js";
import { channelCall } from "../channel.js";
import { notMeForm } from "../components/not_me_form.js";
import { withSession } from "../components/session.js";
import { verifiedAction } from "../components/verified_action.js";

registerStrings({
  zh: {
    "risk.heading": "安全提醒",
    "risk.intro": "为防止电子社保卡被冒用、盗刷，平台发现异常操作时会请您确认是本人操作。",
    "risk.none": "没有需要您确认的操作。",
    "risk.action.settlement": "医保结算",
    "risk.action.payment_code": "出示付款码",
    "risk.action.contribution": "社保缴费",
    "risk.action.new_channel": "在新渠道领取电子社保卡",
    "risk.action.password_reset": "重置密码",
    "risk.action.session": "登录电子社保卡",
    "risk.action.family_add": "添加亲情账户成员",
    "risk.action.channel_revoke": "解除其他渠道关联",
    "risk.rule.ACCOUNT_TAKEOVER": "近期重置了密码、在新渠道领取了电子社保卡或更换了银行预留手机号，随后有较大金额从银行账户支付或账户变更",
    "risk.rule.SETTLEMENTS_PER_HOUR": "短时间内结算次数较多",
    "risk.rule.INSTITUTIONS_PER_DAY": "当天在较多医药机构结算",
    "risk.rule.PASSWORD_RESETS_PER_DAY": "当天多次重置密码",
    "risk.rule.NEW_CHANNELS_PER_DAY": "当天在多个新渠道领取电子社保卡",
    "risk.rule.SESSIONS_PER_HOUR": "短时间内多次登录",
    "risk.decision.deny": "已拒绝，请稍后再试",
    "risk.status.open": "待确认",
    "risk.status.cleared": "已确认是本人",
    "risk.status.not_me": "已报告非本人",
    "risk.confirm": "确认是本人操作",
    "risk.step.start": "说明",
    "risk.step.verify": "认证",
    "risk.step.confirm": "完成",
    "risk.step.done": "完成",
    "risk.step_up.intro": "请通过刷脸或短信验证确认是您本人在操作。确认后30分钟内不再询问。",
    "risk.step_up.start": "开始认证",
    "risk.step_up.done": "已确认是本人操作。请刷新付款码后重新出示给收银员。",
    "risk.to_qr": "打开付款码",
    "risk.back": "返回电子社保卡",
  },
  en: {
    "risk.heading": "Security checks",
    "risk.intro": "To keep your e-card from misuse and fraudulent charges, the platform asks you to confirm it is you when something looks unusual.",
    "risk.none": "Nothing needs your confirmation.",
    "risk.action.settlement": "Medical payment",
    "risk.action.payment_code": "Showing a payment code",
    "risk.action.contribution": "Paying a contribution",
    "risk.action.new_channel": "Taking the e-card into a new channel",
    "risk.action.password_reset": "Resetting the password",
    "risk.action.session": "Signing in to the e-card",
    "risk.action.family_add": "Adding a family member",
    "risk.action.channel_revoke": "Unlinking another channel",
    "risk.rule.ACCOUNT_TAKEOVER": "A recent password reset, a new channel or a changed bank phone, then a large payment from the bank account or a change to the account",
    "risk.rule.SETTLEMENTS_PER_HOUR": "Many payments in a short time",
    "risk.rule.INSTITUTIONS_PER_DAY": "Payments at many pharmacies or hospitals today",
    "risk.rule.PASSWORD_RESETS_PER_DAY": "Many password resets today",
    "risk.rule.NEW_CHANNELS_PER_DAY": "The e-card taken into many new channels today",
    "risk.rule.SESSIONS_PER_HOUR": "Many sign-ins in a short time",
    "risk.decision.deny": "Refused; try again later",
    "risk.status.open": "To confirm",
    "risk.status.cleared": "Confirmed as you",
    "risk.status.not_me": "Reported as not you",
    "risk.confirm": "Confirm it was me",
    "risk.step.start": "About",
    "risk.step.verify": "Verify",
    "risk.step.confirm": "Done",
    "risk.step.done": "Done",
    "risk.step_up.intro": "Confirm it is you with a face or SMS check. You will not be asked again for 30 minutes.",
    "risk.step_up.start": "Start verification",
    "risk.step_up.done": "Confirmed. Refresh the payment code and show it to the cashier again.",
    "risk.to_qr": "Open the payment code",
    "risk.back": "Back to the e-card",
  },
});

function confirmFlow(channel, bindingId, event, here) {
  return verifiedAction({
    channel: channel.key,
    bindingId,
    purpose: "step_up",
    extra: { risk_id: event.risk_id },
    stepKeys: ["risk.step.start", "risk.step.verify", "risk.step.confirm", "risk.step.done"],
    intro: h("p", { i18n: "risk.step_up.intro" }),
    startKey: "risk.step_up.start",
    act: (verificationId, level, finish) => {
      toast(t("risk.step_up.done"), "success");
      finish(h("section", { class: "panel stack done-panel", testid: "risk-confirmed" },
        h("h2", { i18n: "risk.step_up.done" }),
        h("a", { class: "btn btn-primary btn-block", href: `${here}/qr`, testid: "risk-to-qr", i18n: "risk.to_qr" })));
    },
  });
}

function eventItem(channel, bindingId, event, token, here, view) {
  const rules = event.rules.map((rule) => h("li", { i18n: `risk.rule.${rule}` }));
  const actions = h("div", { class: "stack" });
  const denied = event.decision === "deny";
  const item = h("li", { class: "note stack", testid: "risk-event", dataset: { status: event.status, decision: event.decision, riskId: event.risk_id } },
    h("div", { class: "row row--between" },
      h("strong", { i18n: `risk.action.${event.action}` }),
      h("span", { class: "muted small", text: formatDateTime(event.at) })),
    h("ul", { class: "small" }, rules),
    h("span", { class: `badge ${event.status === "open" ? "badge--warn" : ""}`, testid: "risk-event-status",
      i18n: denied && event.status === "open" ? "risk.decision.deny" : `risk.status.${event.status}` }),
    actions);
  if (event.status === "open" && !denied) {
    actions.append(h("button", { type: "button", class: "btn btn-primary btn-block", testid: "risk-confirm", i18n: "risk.confirm",
      on: { click: () => view.replaceChildren(h("h1", { i18n: "risk.heading" }), confirmFlow(channel, bindingId, event, here)) } }));
  }
  if (event.status !== "not_me") {
    const notMe = h("button", { type: "button", class: "btn btn-secondary btn-block", testid: "risk-not-me", i18n: "not_me" });
    const path = `ecards/${encodeURIComponent(bindingId)}/risk-events/${encodeURIComponent(event.risk_id)}/not-me`;
    notMe.addEventListener("click", () => {
      actions.replaceChildren(notMeForm(channel.key, bindingId, path, token, () =>
        view.replaceChildren(h("h1", { i18n: "risk.heading" }),
          h("section", { class: "panel stack done-panel", testid: "risk-not-me-done" },
            h("h2", { i18n: "not_me.done" }),
            h("a", { class: "btn btn-primary btn-block", href: here, i18n: "risk.back" })))));
    });
    actions.append(notMe);
  }
  return item;
}

export async function render(view, { channel, bindingId }) {
  const here = `#/c/${encodeURIComponent(channel.key)}/e/${encodeURIComponent(bindingId)}`;
  const body = h("div", { class: "stack" });
  view.replaceChildren(h("h1", { i18n: "risk.heading" }), h("p", { class: "muted", i18n: "risk.intro" }), body);
  withSession(channel.key, bindingId, body, async (token) => {
    const { items } = await channelCall(channel.key, "GET", `ecards/${encodeURIComponent(bindingId)}/risk-events`, { session: token });
    body.replaceChildren(h("section", { class: "panel" },
      items.length
        ? h("ul", { class: "list", testid: "risk-events" }, items.map((e) => eventItem(channel, bindingId, e, token, here, view)))
        : h("p", { class: "muted", i18n: "risk.none" })));
  });
}
