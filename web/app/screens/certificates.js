// 参保证明 (R-R3): the cardholder chooses a period of months and is issued a certificate
// of the insurance history held for it, downloads its PDF, gives its verify code (or the
// /verify/ address of its QR code) to whoever asks for it, and revokes it; the list shows
// every certificate issued with its status (valid, revoked, expired).
//
// data-testid hooks: cert-from, cert-to, cert-issue, cert-error, cert-list, cert-item
// (data-certificate-id, data-status), cert-code, cert-status, cert-download, cert-verify,
// cert-revoke, cert-none

import { registerStrings, t } from "../../shared/i18n.js";
import { ApiError, clearError, showError, withProgress } from "../../shared/api.js";
import { chinaDay } from "../../shared/china_time.js";
import { h } from "../../shared/dom.js";
import { formatDateTime, stateBadge, toast } from "../../shared/ui.js";
import { channelCall } from "../channel.js";
import { withSession } from "../components/session.js";

registerStrings({
  zh: {
    "certificates.heading": "参保证明",
    "certificates.intro": "开具一段时间的参保缴费证明（PDF），交给单位、学校或办事机构；对方凭查验码在线核对。",
    "certificates.from": "起始年月",
    "certificates.to": "截止年月",
    "certificates.issue": "开具证明",
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
    "certificates.issue": "Issue",
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
      c.status === "valid"
        ? h("button", { type: "button", class: "btn btn-danger", testid: "cert-revoke", i18n: "certificates.revoke", on: { click: (e) => actions.revoke(e.currentTarget, c) } })
        : null));
}

function issueForm(onIssue) {
  const thisMonth = chinaDay().slice(0, 7);
  const yearAgo = `${Number(thisMonth.slice(0, 4)) - 1}${thisMonth.slice(4)}`;
  const from = h("input", { type: "month", id: "cert-from", value: yearAgo, max: thisMonth, testid: "cert-from" });
  const to = h("input", { type: "month", id: "cert-to", value: thisMonth, max: thisMonth, testid: "cert-to" });
  const button = h("button", { type: "submit", class: "btn btn-primary", testid: "cert-issue", i18n: "certificates.issue" });
  return h("form", { class: "panel stack", novalidate: true, on: { submit: (e) => { e.preventDefault(); onIssue(button, from.value, to.value); } } },
    h("p", { class: "muted", i18n: "certificates.intro" }),
    h("div", { class: "row" },
      h("div", { class: "field" }, h("label", { for: "cert-from", i18n: "certificates.from" }), from),
      h("div", { class: "field" }, h("label", { for: "cert-to", i18n: "certificates.to" }), to)),
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
    const onIssue = (button, from, to) => withProgress(button, async () => {
      clearError(error);
      await channelCall(channel.key, "POST", base, { body: { from, to }, session: token });
      toast(t("certificates.issued"), "success");
      await refresh();
    }).catch(fail);
    await refresh();
    body.replaceChildren(issueForm(onIssue), error,
      h("section", { class: "panel" }, h("h2", { class: "panel-title", i18n: "certificates.list" }), list));
  });
}
