// 参保证明 (R-R3): the cardholder chooses a period of months and is issued a certificate
// of the insurance history held for it, downloads its PDF, gives its verify code (or the
// /verify/ address of its QR code) to whoever asks for it, and revokes it; the list shows
// every certificate issued with its status (valid, revoked, expired).
//
// Before it is issued the cardholder sees what it will certify (the months paid per
// insurance in the period, from 社保查询); the month pickers speak the page's language.
//
// data-testid hooks: cert-from-{year,month}, cert-to-{year,month}, cert-preview,
// cert-preview-item (data-insurance), cert-preview-back, cert-issue, cert-error, cert-list,
// cert-item (data-certificate-id, data-status), cert-code, cert-status, cert-download,
// cert-verify, cert-share, cert-revoke, cert-none

import { applyTranslations, language, registerStrings, t, tIn } from "../../shared/i18n.js";
import { ApiError, clearError, showError, withProgress } from "../../shared/api.js";
import { chinaDay } from "../../shared/china_time.js";
import { h } from "../../shared/dom.js";
import { kInsuranceEnglish } from "../../shared/insurance_names.js";
import { formatDateTime, stateBadge, toast } from "../../shared/ui.js";
import { channelCall } from "../channel.js";
import { withSession } from "../components/session.js";

registerStrings({
  zh: {
    "certificates.heading": "参保证明",
    "certificates.intro": "开具一段时间的参保缴费证明（PDF），交给单位、学校或办事机构；对方凭查验码在线核对。",
    "certificates.from": "起始年月",
    "certificates.to": "截止年月",
    "certificates.preview": "预览证明内容",
    "certificates.preview.heading": "将开具的证明内容",
    "certificates.preview.months": "{months} 个月（{first} 至 {last}）",
    "certificates.preview.none": "该期间没有缴费记录",
    "certificates.preview.back": "返回修改",
    "certificates.order": "起始年月不能晚于截止年月",
    "certificates.year": "年",
    "certificates.month": "月",
    "certificates.share": "分享查验码",
    "certificates.share.text": "参保证明查验码 {code}，查验地址 {url}",
    "certificates.copied": "已复制查验码和查验地址",
    "certificates.issue": "确认开具",
    "certificates.issued": "已开具参保证明",
    "certificates.list": "已开具的证明",
    "certificates.none": "尚未开具参保证明",
    "certificates.period": "{from} 至 {to}",
    "certificates.code": "查验码",
    "certificates.expires": "有效期至 {at}",
    "certificates.download": "下载 PDF",
    "certificates.verify": "查验",
    "certificates.revoke": "撤销",
    "certificates.revoked": "证明已撤销",
    "certificate.valid": "有效",
    "certificate.revoked": "已撤销",
    "certificate.expired": "已过期",
  },
  en: {
    "certificates.heading": "Certificate of insurance",
    "certificates.intro": "Get a certificate (PDF) of the insurance paid over a period for an employer, a school or an office; they check it online with its verify code.",
    "certificates.from": "From",
    "certificates.to": "To",
    "certificates.preview": "Preview",
    "certificates.preview.heading": "What the certificate will say",
    "certificates.preview.months": "{months} months ({first} to {last})",
    "certificates.preview.none": "No months paid in this period",
    "certificates.preview.back": "Change the period",
    "certificates.order": "The first month cannot come after the last",
    "certificates.year": "Year",
    "certificates.month": "Month",
    "certificates.share": "Share the code",
    "certificates.share.text": "Certificate of insurance, verify code {code}, check it at {url}",
    "certificates.copied": "Verify code and address copied",
    "certificates.issue": "Issue it",
    "certificates.issued": "Certificate issued",
    "certificates.list": "Certificates issued",
    "certificates.none": "No certificates yet",
    "certificates.period": "{from} to {to}",
    "certificates.code": "Verify code",
    "certificates.expires": "Valid until {at}",
    "certificates.download": "Download PDF",
    "certificates.verify": "Check",
    "certificates.revoke": "Revoke",
    "certificates.revoked": "Certificate revoked",
    "certificate.valid": "Valid",
    "certificate.revoked": "Revoked",
    "certificate.expired": "Expired",
  },
});

// The PDF through the channel's backend (binary, so not request()), saved by the browser.
async function download(channel, bindingId, token, certificate) {
  const path = `/demo/api/${encodeURIComponent(channel)}/v1/ecards/${encodeURIComponent(bindingId)}` +
    `/certificates/${encodeURIComponent(certificate.certificate_id)}/pdf`;
  const response = await fetch(path, { headers: { "X-Essc-Session": token }, cache: "no-store" });
  if (!response.ok) {
    const body = await response.json().catch(() => ({}));
    const e = body.error ?? {};
    throw new ApiError(response.status, e.code ?? "INTERNAL", e.message_zh, e.message_en, e);
  }
  const url = URL.createObjectURL(await response.blob());
  const link = h("a", { href: url, download: `参保证明-${certificate.verify_code}.pdf`, hidden: true });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

function certificateItem(c, actions) {
  const verifyUrl = `/verify/?code=${encodeURIComponent(c.verify_code)}`;
  return h("li", { class: "stack", testid: "cert-item", dataset: { certificateId: c.certificate_id, status: c.status } },
    h("div", { class: "row row--between" },
      h("strong", { i18n: "certificates.period", vars: { from: c.period.from, to: c.period.to } }),
      h("span", { testid: "cert-status" }, stateBadge("certificate", c.status))),
    h("div", { class: "row row--between" },
      h("span", { class: "muted", i18n: "certificates.code" }),
      h("span", { class: "mono", testid: "cert-code", text: c.verify_code })),
    h("div", { class: "muted small", i18n: "certificates.expires", vars: { at: formatDateTime(c.expires_at) } }),
    h("div", { class: "row" },
      h("button", { type: "button", class: "btn btn-secondary", testid: "cert-download", i18n: "certificates.download", on: { click: (e) => actions.download(e.currentTarget, c) } }),
      h("a", { class: "btn", href: verifyUrl, target: "_blank", rel: "noopener", testid: "cert-verify", i18n: "certificates.verify" }),
      h("button", { type: "button", class: "btn", testid: "cert-share", i18n: "certificates.share", on: { click: () => share(c) } }),
      c.status === "valid"
        ? h("button", { type: "button", class: "btn btn-danger", testid: "cert-revoke", i18n: "certificates.revoke", on: { click: (e) => actions.revoke(e.currentTarget, c) } })
        : null));
}

// Whoever asks for the certificate gets its code and the /verify/ address: the phone's
// share sheet where there is one, else the clipboard.
async function share(c) {
  const url = new URL(`/verify/?code=${encodeURIComponent(c.verify_code)}`, location.href).href;
  const text = t("certificates.share.text", { code: c.verify_code, url });
  if (navigator.share) {
    await navigator.share({ title: t("certificates.heading"), text, url }).catch(() => {});
    return;
  }
  try {
    await navigator.clipboard.writeText(text);
    toast(t("certificates.copied"), "success");
  } catch {
    toast(text, "info", 8000);
  }
}

// A month as a year and a month, each a select whose words follow the page's language
// (an <input type="month"> speaks the browser's); `value()` is YYYY-MM.
function monthPicker(testid, value, latest) {
  const [latestYear] = latest.split("-").map(Number);
  const year = h("select", { testid: `${testid}-year`, "data-i18n-aria-label": "certificates.year" },
    Array.from({ length: 30 }, (_, i) => String(latestYear - i)).map((y) => h("option", { value: y, text: y })));
  const month = h("select", { testid: `${testid}-month`, "data-i18n-aria-label": "certificates.month" },
    Array.from({ length: 12 }, (_, i) => h("option", { value: String(i + 1).padStart(2, "0") })));
  const name = () => {
    const format = new Intl.DateTimeFormat(language() === "zh" ? "zh-CN" : "en-GB", { month: "short", timeZone: "UTC" });
    [...month.options].forEach((o, i) => { o.textContent = format.format(Date.UTC(2000, i, 1)); });
  };
  name();
  window.addEventListener("languagechange", function follow() {
    if (month.isConnected) name();
    else window.removeEventListener("languagechange", follow);
  });
  [year.value, month.value] = value.split("-");
  return { element: h("div", { class: "row" }, year, month), value: () => `${year.value}-${month.value}` };
}

// The months paid per insurance from `from` to `to`, as the certificate will list them.
function previewPanel(history, from, to, onBack, onIssue) {
  const inPeriod = (m) => m.period >= from && m.period <= to;
  const rows = history.items.map((item) => {
    const months = item.months.filter(inPeriod).map((m) => m.period).sort();
    const name = language() === "en" ? kInsuranceEnglish[item.insurance] ?? item.name : item.name;
    return h("li", { class: "row row--between", testid: "cert-preview-item", dataset: { insurance: item.insurance, months: String(months.length) } },
      h("span", { text: name }),
      months.length
        ? h("span", { i18n: "certificates.preview.months", vars: { months: months.length, first: months[0], last: months.at(-1) } })
        : h("span", { class: "muted", i18n: "certificates.preview.none" }));
  });
  const issue = h("button", { type: "button", class: "btn btn-primary", testid: "cert-issue", i18n: "certificates.issue", on: { click: () => onIssue(issue) } });
  return h("section", { class: "panel stack", testid: "cert-preview" },
    h("h2", { class: "panel-title", i18n: "certificates.preview.heading" }),
    h("p", { i18n: "certificates.period", vars: { from, to } }),
    h("ul", { class: "list" }, rows),
    h("div", { class: "row row--end" },
      h("button", { type: "button", class: "btn btn-secondary", testid: "cert-preview-back", i18n: "certificates.preview.back", on: { click: onBack } }),
      issue));
}

function issueForm(onPreview) {
  const thisMonth = chinaDay().slice(0, 7);
  const yearAgo = `${Number(thisMonth.slice(0, 4)) - 1}${thisMonth.slice(4)}`;
  const from = monthPicker("cert-from", yearAgo, thisMonth);
  const to = monthPicker("cert-to", thisMonth, thisMonth);
  const button = h("button", { type: "submit", class: "btn btn-primary", testid: "cert-preview-open", i18n: "certificates.preview" });
  return h("form", { class: "panel stack", novalidate: true, on: { submit: (e) => { e.preventDefault(); onPreview(button, from.value(), to.value()); } } },
    h("p", { class: "muted", i18n: "certificates.intro" }),
    h("div", { class: "field" }, h("span", { class: "label", i18n: "certificates.from" }), from.element),
    h("div", { class: "field" }, h("span", { class: "label", i18n: "certificates.to" }), to.element),
    h("div", { class: "row row--end" }, button));
}

export async function render(view, { channel, bindingId }) {
  const body = h("div", { class: "stack" });
  view.replaceChildren(h("h1", { i18n: "certificates.heading" }), body);
  await withSession(channel.key, bindingId, body, async (token) => {
    const base = `ecards/${encodeURIComponent(bindingId)}/certificates`;
    const error = h("div", { class: "alert", testid: "cert-error", hidden: true });
    const list = h("ul", { class: "list", testid: "cert-list" });
    const fail = (err) => showError(error, err);
    const actions = {
      download: (button, c) => withProgress(button, () => download(channel.key, bindingId, token, c)).catch(fail),
      revoke: (button, c) => withProgress(button, async () => {
        await channelCall(channel.key, "POST", `${base}/${encodeURIComponent(c.certificate_id)}/revoke`, { session: token });
        toast(t("certificates.revoked"), "success");
        await refresh();
      }).catch(fail),
    };
    async function refresh() {
      const { items } = await channelCall(channel.key, "GET", base, { session: token });
      list.replaceChildren(...(items.length ? items.map((c) => certificateItem(c, actions)) : [h("li", { class: "muted", testid: "cert-none", i18n: "certificates.none" })]));
    }
    const form = h("div");
    const showForm = () => {
      form.replaceChildren(issueForm(onPreview));
      applyTranslations(form);
    };
    const onIssue = (from, to) => (button) => withProgress(button, async () => {
      clearError(error);
      await channelCall(channel.key, "POST", base, { body: { from, to }, session: token });
      toast(t("certificates.issued"), "success");
      showForm();
      await refresh();
    }).catch(fail);
    const onPreview = (button, from, to) => withProgress(button, async () => {
      clearError(error);
      if (from > to) throw new ApiError(0, "CLIENT", tIn("zh", "certificates.order"), tIn("en", "certificates.order"));
      const history = await channelCall(channel.key, "GET", `ecards/${encodeURIComponent(bindingId)}/insurance`, { session: token });
      form.replaceChildren(previewPanel(history, from, to, showForm, onIssue(from, to)));
      applyTranslations(form);
    }).catch(fail);
    showForm();
    await refresh();
    body.replaceChildren(form, error,
      h("section", { class: "panel" }, h("h2", { class: "panel-title", i18n: "certificates.list" }), list));
  });
}
