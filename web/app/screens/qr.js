// The dynamic QR code (R-U2): signed by the platform, valid 60 seconds, single use. The
// screen shows the time left and fetches a fresh code by itself when the platform says
// (refresh_after), so the cardholder never shows an expired code. Payment codes settle at
// designated pharmacies and hospitals; identity codes prove who the holder is (R-U3).

import { registerStrings, t } from "../../shared/i18n.js";
import { clearError, showError, withProgress } from "../../shared/api.js";
import { h, setText } from "../../shared/dom.js";
import { toast } from "../../shared/ui.js";
import { channelCall, dropSession } from "../channel.js";
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
  },
});

const kMaxLifetimeMs = 65_000;  // the platform's codes live 60 s; more means a skewed clock

/** The code panel; `path` is the endpoint that issues it (a family member's, R-F3), by default the e-card's own. */
export function qrPanel(channel, bindingId, token, purpose, { stopped, onSessionLost, path = null }) {
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

  const load = async () => {
    if (loading || stopped()) return;
    loading = true;
    clearError(error);
    setText(countdown, "qr.refreshing");
    try {
      const code = await withProgress(refresh, channelCall(channel, "POST", path ?? `ecards/${encodeURIComponent(bindingId)}/qrcodes`, {
        body: { purpose }, session: token,
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
      loading = false;
      tick();
    } catch (err) {
      if (err.code === "SESSION_INVALID") {
        dropSession(bindingId);
        onSessionLost();
        return;
      }
      image.removeAttribute("src");
      delete image.dataset.token;
      showError(error, err);
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
  const element = h("section", { class: "panel qr-panel", testid: `qr-${purpose}` },
    h("p", { class: "muted", i18n: `qr.${purpose}_hint` }),
    h("div", { class: "qr-frame" }, image),
    h("div", { class: "progress qr-progress" }, bar),
    countdown, error,
    h("div", { class: "row row--between" }, h("span", { class: "muted", i18n: "qr.single_use" }), refresh),
    h("details", { class: "qr-details" }, h("summary", { class: "muted", i18n: "qr.text" }), text, copy));
  return { element, load, tick };
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
  const body = h("div", { class: "stack" });
  view.replaceChildren(body);
  await withSession(channel.key, bindingId, body, async (token) => {
    const show = async (purpose) => {
      clearInterval(timer);
      const panel = qrPanel(channel.key, bindingId, token, purpose, {
        stopped: () => stopped,
        onSessionLost: () => navigate(location.hash),
      });
      for (const tab of tabs) tab.setAttribute("aria-selected", String(tab.dataset.purpose === purpose));
      holder.replaceChildren(panel.element);
      await panel.load();
      timer = setInterval(panel.tick, 250);
    };
    const tabs = ["payment", "identity"].map((purpose) =>
      h("button", { type: "button", class: "tab", role: "tab", testid: `qr-tab-${purpose}`, dataset: { purpose }, i18n: `qr.${purpose}`, on: { click: () => show(purpose) } }));
    const holder = h("div");
    body.replaceChildren(await cardHeader(channel.key, bindingId), h("div", { class: "tabs", role: "tablist" }, tabs), holder);
    await show("payment");
  });
  return () => {
    stopped = true;
    clearInterval(timer);
  };
}
