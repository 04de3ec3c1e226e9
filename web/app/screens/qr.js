// The dynamic QR code (R-U2): signed by the platform, valid 60 seconds, single use. The
// screen shows the time left and fetches a fresh code by itself when the platform says
// (refresh_after), so the cardholder never shows an expired code. Payment codes settle at
// designated pharmacies and hospitals; identity codes prove who the holder is (R-U3).

import { registerStrings, t } from "../../shared/i18n.js";
import { clearError, showError, withProgress, yuan } from "../../shared/api.js";
import { h, setText } from "../../shared/dom.js";
import { focusHeading, formatDateTime, toast } from "../../shared/ui.js";
import { channelCall, dropSession } from "../channel.js";
import { watchForPayment } from "../components/payment_watch.js";
import { withSession } from "../components/session.js";

registerStrings({
  zh: {
    "qr.payment": "付款码",
    "qr.identity": "身份码",
    "qr.payment_hint": "向定点药店、医院收银员出示，用于医保结算。",
    "qr.identity_hint": "向服务大厅或医院出示，用于核验身份。",
    "qr.countdown": "{r} 秒后自动刷新（本码 {n} 秒后失效）",
    "qr.header": "电子社保卡",
    "qr.refreshing": "正在刷新二维码…",
    "qr.refresh": "手动刷新",
    "qr.alt": "电子社保卡二维码",
    "qr.single_use": "二维码一次有效，请勿截图转发。",
    "qr.text": "码值（演示：没有扫码枪时，复制后粘贴到收银台）",
    "qr.copy": "复制码值",
    "qr.copied": "已复制",
    "qr.stopped": "二维码已停止显示。",
    "qr.way.cancel_loss": "解除挂失",
    "qr.way.ecard": "查看电子社保卡状态",
    "qr.way.retry": "重新获取二维码",
    "qr.way.step_up": "确认是本人操作",
    "qr.paid.heading": "支付成功",
    "qr.paid.at": "支付时间",
    "qr.paid.institution": "收款机构",
    "qr.paid.member": "就诊人",
    "qr.paid.fund": "统筹基金支付",
    "qr.paid.account": "个人账户支付",
    "qr.paid.self_pay": "个人自付",
    "qr.paid.self_pay.cash": "现金",
    "qr.paid.self_pay.bank": "银行卡",
    "qr.paid.done": "完成",
    "qr.paid.again": "再次出示付款码",
  },
  en: {
    "qr.payment": "Payment code",
    "qr.identity": "Identity code",
    "qr.payment_hint": "Show it at the till of a designated pharmacy or hospital to settle with medical insurance.",
    "qr.identity_hint": "Show it at a service hall or hospital to prove who you are.",
    "qr.countdown": "A new code in {r} s (this one is valid for {n} s)",
    "qr.header": "Electronic Social Security Card",
    "qr.refreshing": "Refreshing the code…",
    "qr.refresh": "Refresh now",
    "qr.alt": "E-card QR code",
    "qr.single_use": "Each code works once; do not share screenshots.",
    "qr.text": "The code as text (demo: without a scanner, copy it and paste it at the till)",
    "qr.copy": "Copy",
    "qr.copied": "Copied",
    "qr.stopped": "The code is no longer shown.",
    "qr.way.cancel_loss": "Cancel the loss report",
    "qr.way.ecard": "See the e-card's state",
    "qr.way.retry": "Get a new code",
    "qr.way.step_up": "Confirm it is me",
    "qr.paid.heading": "Payment successful",
    "qr.paid.at": "Paid at",
    "qr.paid.institution": "Paid to",
    "qr.paid.member": "Patient",
    "qr.paid.fund": "Pooled fund",
    "qr.paid.account": "Personal account",
    "qr.paid.self_pay": "Self-pay",
    "qr.paid.self_pay.cash": "cash",
    "qr.paid.self_pay.bank": "bank card",
    "qr.paid.done": "Done",
    "qr.paid.again": "Show the payment code again",
  },
});

const kMaxLifetimeMs = 65_000;  // the platform's codes live 60 s; more means a skewed clock

// What to do after a refusal: a suspended e-card (card reported lost) is offered 解除挂失,
// an unlinked one its page (which offers applying again), anything else a new code.
function wayForward(err, ecardHref, retry) {
  // R-K1: risk control asks for a fresh check before the next payment code.
  if (err.code === "RISK_STEP_UP_REQUIRED") {
    return h("a", { class: "btn btn-primary btn-block", href: `${ecardHref}/risk`, testid: "qr-way-step-up", i18n: "qr.way.step_up" });
  }
  if (err.code === "ECARD_SUSPENDED" || err.code === "CARD_REPORTED_LOST") {
    return h("a", { class: "btn btn-primary btn-block", href: `${ecardHref}/cancel-loss`, testid: "qr-way-cancel-loss", i18n: "qr.way.cancel_loss" });
  }
  if (err.code === "ECARD_UNLINKED" || err.code.startsWith("CARD_")) {
    return h("a", { class: "btn btn-primary btn-block", href: ecardHref, testid: "qr-way-ecard", i18n: "qr.way.ecard" });
  }
  return h("button", { type: "button", class: "btn btn-primary btn-block", testid: "qr-way-retry", i18n: "qr.way.retry", on: { click: retry } });
}

// 支付成功: what the till settled with the code, from the inbox entry the platform wrote
// (`detail`: amount, split, institution, and the member when a family member's code paid).
function paidPage(entry, { ecardHref, onAgain }) {
  const d = entry.detail ?? {};
  const rows = [
    ["qr.paid.institution", d.institution_name, "qr-paid-institution"],
    d.member_name_masked ? ["qr.paid.member", d.member_name_masked, "qr-paid-member"] : null,
    ["qr.paid.fund", yuan(d.fund_fen), "qr-paid-fund"],
    ["qr.paid.account", yuan(d.account_fen), "qr-paid-account"],
    ["qr.paid.self_pay", [yuan(d.self_pay_fen), " · ", h("span", { i18n: `qr.paid.self_pay.${d.self_pay_method === "bank" ? "bank" : "cash"}` })], "qr-paid-self-pay"],
    ["qr.paid.at", formatDateTime(entry.at), "qr-paid-at"],
  ].filter(Boolean);
  return h("section", { class: "panel stack done-panel", testid: "qr-paid", role: "status" },
    h("div", { class: "done-mark", "aria-hidden": "true", text: "✓" }),
    h("h2", { i18n: "qr.paid.heading" }),
    h("p", { class: "contribute-amount money", testid: "qr-paid-amount" }, yuan(d.total_fen)),
    h("dl", { class: "kv" }, rows.map(([key, value, testid]) => [h("dt", { i18n: key }), h("dd", { testid }, value)])),
    h("a", { class: "btn btn-primary btn-block", href: ecardHref, testid: "qr-paid-done", i18n: "qr.paid.done" }),
    h("button", { type: "button", class: "btn btn-secondary btn-block", testid: "qr-paid-again", i18n: "qr.paid.again", on: { click: onAgain } }));
}

/**
 * The code panel; `path` is the endpoint that issues it (a family member's, R-F3), by
 * default the e-card's own; `ecardHref` the e-card's page, for the way forward after a
 * refusal. A payment code watches the inbox and turns into 支付成功 once the till used it.
 */
export function qrPanel(channel, bindingId, token, purpose, { stopped, onSessionLost, path = null, ecardHref }) {
  const image = h("img", { class: "qr-image", alt: "", width: 240, height: 240, testid: "qr-image" });
  const countdown = h("p", { class: "qr-countdown", testid: "qr-countdown", "aria-live": "off" });
  const bar = h("div", { class: "progress-bar" });
  bar.style.width = "100%";  // a fresh code starts full, so the bar only ever shrinks
  const error = h("div", { hidden: true, testid: "qr-error" });
  const refresh = h("button", { type: "button", class: "btn btn-secondary", testid: "qr-refresh", i18n: "qr.refresh" });
  const text = h("code", { class: "qr-text mono", testid: "qr-text" });
  const copy = h("button", { type: "button", class: "btn btn-secondary", testid: "qr-copy", i18n: "qr.copy" });
  copy.addEventListener("click", async () => {
    try {
      await navigator.clipboard.writeText(text.textContent);
      toast(t("qr.copied"), "success");
    } catch {
      getSelection().selectAllChildren(text);  // the clipboard may be refused: leave it selected to copy by hand
    }
  });
  let deadline = 0;
  let lifetime = 1;
  let refreshAt = 0;
  let loading = false;
  let paid = false;
  let unwatch = null;
  const showing = h("div", { class: "stack" });
  const way = h("div");
  const progress = h("div", { class: "progress qr-progress" }, bar);
  const details = h("details", { class: "qr-details" }, h("summary", { class: "muted", i18n: "qr.text" }), text, copy);

  // After a refusal nothing of the old code stays: no image, no countdown, no text to copy.
  const halt = (err) => {
    deadline = 0;
    unwatch?.();
    unwatch = null;
    image.removeAttribute("src");
    delete image.dataset.token;
    text.textContent = "";
    details.hidden = true;
    progress.hidden = true;
    delete countdown.dataset.seconds;
    setText(countdown, "qr.stopped");
    showError(error, err);
    way.replaceChildren(wayForward(err, ecardHref, load));
  };

  const onPaid = (entry) => {
    paid = true;
    deadline = 0;
    unwatch = null;
    element.replaceChildren(paidPage(entry, {
      ecardHref,
      onAgain: () => {
        paid = false;
        element.replaceChildren(showing);
        load();
      },
    }));
    focusHeading(element);
  };

  const load = async () => {
    if (loading || stopped() || paid) return;
    loading = true;
    clearError(error);
    way.replaceChildren();
    setText(countdown, "qr.refreshing");
    try {
      const code = await withProgress(refresh, channelCall(channel, "POST", path ?? `ecards/${encodeURIComponent(bindingId)}/qrcodes`, {
        // compact: a version-7 symbol a pharmacy's scanner gun reads at a glance (docs/qr-token.md).
        body: { purpose, format: "compact" }, session: token,
      }));
      const now = Date.now();
      const left = Date.parse(code.expires_at) - now;
      lifetime = left > 0 && left <= kMaxLifetimeMs ? left : (code.refresh_after + 10) * 1000;
      deadline = now + lifetime;
      refreshAt = now + Math.min(code.refresh_after * 1000, lifetime);
      image.src = `data:image/png;base64,${code.png_base64}`;
      image.dataset.token = code.token;
      text.textContent = code.token;
      image.dataset.purpose = purpose;
      image.alt = "";
      image.setAttribute("data-i18n-aria-label", "qr.alt");
      details.hidden = false;
      progress.hidden = false;
      loading = false;
      if (purpose === "payment" && !unwatch) {
        unwatch = watchForPayment(channel, bindingId, () => !stopped() && !paid && element.isConnected, onPaid);
      }
      tick();
    } catch (err) {
      if (err.code === "SESSION_INVALID") {
        dropSession(bindingId);
        onSessionLost();
        return;
      }
      halt(err);
    } finally {
      loading = false;
    }
  };
  const tick = () => {
    if (!deadline || loading) return;
    const now = Date.now();
    const seconds = Math.max(0, Math.ceil((deadline - now) / 1000));
    setText(countdown, "qr.countdown", { n: seconds, r: Math.max(0, Math.ceil((refreshAt - now) / 1000)) });
    countdown.dataset.seconds = String(seconds);
    bar.style.width = `${Math.max(0, Math.min(100, ((deadline - now) / lifetime) * 100))}%`;
    if (now >= refreshAt) load();
  };
  refresh.addEventListener("click", load);
  showing.append(
    h("p", { class: "muted", i18n: `qr.${purpose}_hint` }),
    h("div", { class: "qr-frame" }, image),
    progress,
    countdown, error, way,
    h("div", { class: "row row--between" }, h("span", { class: "muted", i18n: "qr.single_use" }), refresh),
    details);
  const element = h("section", { class: "panel qr-panel", testid: `qr-${purpose}` }, showing);
  const stop = () => {
    unwatch?.();
    unwatch = null;
  };
  return { element, load, tick, stop };
}

// Whose code this is, as the WeChat and Alipay e-SSC pages show it above the code: the
// e-SSC header, the masked name and the card number.
async function cardHeader(channel, bindingId) {
  const ecard = await channelCall(channel, "GET", `ecards/${encodeURIComponent(bindingId)}`).catch(() => null);
  return h("div", { class: "qr-card", testid: "qr-card" },
    h("span", { class: "ecard-emblem", "aria-hidden": "true" }),
    h("div", { class: "qr-card-text" },
      h("strong", { i18n: "qr.header" }),
      ecard ? h("span", { testid: "qr-card-holder" }, h("span", { testid: "qr-card-name" }, ecard.card.name_masked), " · ",
        h("span", { class: "mono", testid: "qr-card-no" }, ecard.card.card_no_masked)) : null));
}

export async function render(view, { channel, bindingId, navigate }) {
  let timer = null;
  let stopped = false;
  let current = null;
  const body = h("div", { class: "stack" });
  const ecardHref = `#/c/${encodeURIComponent(channel.key)}/e/${encodeURIComponent(bindingId)}`;
  view.replaceChildren(h("h1", { i18n: "ecard.action.qr" }), body);
  await withSession(channel.key, bindingId, body, async (token) => {
    const show = async (purpose) => {
      clearInterval(timer);
      current?.stop();
      const panel = qrPanel(channel.key, bindingId, token, purpose, {
        stopped: () => stopped,
        onSessionLost: () => navigate(location.hash),
        ecardHref,
      });
      current = panel;
      for (const tab of tabs) {
        const selected = tab.dataset.purpose === purpose;
        tab.setAttribute("aria-selected", String(selected));
        tab.tabIndex = selected ? 0 : -1;
      }
      holder.setAttribute("aria-labelledby", `qr-tab-${purpose}`);
      holder.replaceChildren(panel.element);
      await panel.load();
      timer = setInterval(panel.tick, 250);
    };
    const tabs = ["payment", "identity"].map((purpose) =>
      h("button", { type: "button", class: "tab", role: "tab", id: `qr-tab-${purpose}`, "aria-controls": "qr-tabpanel", testid: `qr-tab-${purpose}`, dataset: { purpose }, i18n: `qr.${purpose}`, on: { click: () => show(purpose) } }));
    const holder = h("div", { role: "tabpanel", id: "qr-tabpanel" });
    body.replaceChildren(await cardHeader(channel.key, bindingId), h("div", { class: "tabs", role: "tablist" }, tabs), holder);
    await show("payment");
  });
  return () => {
    stopped = true;
    clearInterval(timer);
    current?.stop();
  };
}
