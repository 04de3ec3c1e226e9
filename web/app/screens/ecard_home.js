// One e-card in this channel: its state as the platform reports it (R-E1: it follows the
// physical card), its services by level (R-U8) and what the cardholder can do next. A
// suspended e-card (card reported lost or locked, R-L1) offers cancelling the loss report;
// an unlinked one (card replaced or cancelled, or unlinked here, R-L3/R-L4/R-E8) offers
// applying again.

import { registerStrings } from "../../shared/i18n.js";
import { showError } from "../../shared/api.js";
import { h } from "../../shared/dom.js";
import { channelCall, forgetBinding, rememberBinding } from "../channel.js";
import { ecardVisual } from "../components/ecard_visual.js";
import { tileIcon } from "../components/icons.js";
import { stateBadge } from "../../shared/ui.js";

registerStrings({
  zh: {
    "ecard.action.qr": "二维码",
    "ecard.action.face": "卡面",
    "ecard.action.account": "余额与记录",
    "ecard.action.contribute": "缴费",
    "ecard.action.notifications": "消息",
    "ecard.action.risk": "安全提醒",
    "ecard.action.password": "修改密码",
    "ecard.action.reset": "重置密码",
    "ecard.action.loss": "挂失",
    "ecard.action.cancel-loss": "解除挂失",
    "ecard.action.upgrade": "升级二级签发",
    "ecard.action.unlink": "解除关联",
    "ecard.action.where": "已领渠道",
    "ecard.action.family": "亲情账户",
    "ecard.action.guardians": "我的监护人",
    "ecard.action.filings": "异地就医备案",
    "ecard.action.insurance": "社保查询",
    "ecard.action.certificates": "参保证明",
    "ecard.services": "服务",
    "ecard.service.available": "可用",
    "ecard.service.needs": "需{level}级",
    "ecard.service.identity": "身份凭证",
    "ecard.service.query": "自助查询",
    "ecard.service.medical_settlement": "医保结算",
    "ecard.service.benefits": "待遇领取查询",
    "ecard.service.contribution": "缴费",
    "ecard.service.bank_payment": "金融支付",
    "ecard.suspended.lost": "实体社保卡已挂失，所有渠道APP已签发的电子社保卡均不能使用。找回卡片后可解除挂失，电子社保卡即恢复可用；也可到柜面补换卡。",
    "ecard.suspended.locked": "实体社保卡已锁定，电子社保卡暂不可用。请到社保经办机构或发卡银行解锁。",
    "ecard.suspended.other": "电子社保卡暂不可用（实体卡已挂失或锁定）。",
    "ecard.unlinked.replaced": "实体社保卡已补换，各渠道APP上原电子社保卡已解除关联。请领取并激活新的实体社保卡后重新申领电子社保卡。",
    "ecard.unlinked.cancelled": "实体社保卡已注销，电子社保卡已解除关联，不可使用。",
    "ecard.unlinked.other": "电子社保卡已在本渠道解除关联，如需使用请重新申领。",
    "ecard.apply_again": "重新申领电子社保卡",
    "ecard.forget": "从本机移除",
    "ecard.card_status": "实体卡状态：",
  },
  en: {
    "ecard.action.qr": "QR code",
    "ecard.action.face": "Card face",
    "ecard.action.account": "Balance & records",
    "ecard.action.contribute": "Contributions",
    "ecard.action.notifications": "Messages",
    "ecard.action.risk": "Security checks",
    "ecard.action.password": "Change password",
    "ecard.action.reset": "Reset password",
    "ecard.action.loss": "Report loss",
    "ecard.action.cancel-loss": "Cancel loss report",
    "ecard.action.upgrade": "Upgrade to level 2",
    "ecard.action.unlink": "Unlink",
    "ecard.action.where": "Where it is",
    "ecard.action.family": "Family account",
    "ecard.action.guardians": "My guardians",
    "ecard.action.filings": "Cross-region filings",
    "ecard.action.insurance": "Insurance history",
    "ecard.action.certificates": "Certificate of insurance",
    "ecard.services": "Services",
    "ecard.service.available": "Available",
    "ecard.service.needs": "Needs level {level}",
    "ecard.service.identity": "Identity credential",
    "ecard.service.query": "Self-service query",
    "ecard.service.medical_settlement": "Medical settlement",
    "ecard.service.benefits": "Benefits",
    "ecard.service.contribution": "Contributions",
    "ecard.service.bank_payment": "Bank payment",
    "ecard.suspended.lost": "The physical card is reported lost, so the e-card cannot be used in any channel app. Cancel the loss report once the card is found and it works again; or replace the card at a counter.",
    "ecard.suspended.locked": "The physical card is locked, so the e-card cannot be used. Have it unlocked at an HR office or the issuing bank.",
    "ecard.suspended.other": "The e-card is suspended (the physical card is reported lost or locked).",
    "ecard.unlinked.replaced": "The physical card was replaced, so the old e-card is unlinked in every channel app. Collect and activate the new card, then apply for the e-card again.",
    "ecard.unlinked.cancelled": "The physical card is cancelled; the e-card is unlinked and cannot be used.",
    "ecard.unlinked.other": "The e-card is unlinked in this channel; apply again to use it.",
    "ecard.apply_again": "Apply for the e-card again",
    "ecard.forget": "Remove from this phone",
    "ecard.card_status": "Physical card: ",
  },
});

function actionsFor(ecard) {
  const cardStatus = ecard.card?.card_status;
  if (ecard.status === "usable") {
    return ["qr", "face", "account", "insurance", "certificates", "contribute", "notifications", "risk", "password", "reset", ecard.level < 2 ? "upgrade" : null, "family", "guardians", "filings", "where", "loss", "unlink"].filter(Boolean);
  }
  // A suspended e-card cannot be used, but its inbox, balance and records still read
  // (R-L6: the message saying why); otherwise only what protects it or ends the suspension.
  if (ecard.status === "suspended") {
    return [cardStatus === "lost" ? "cancel-loss" : null, "notifications", "risk", "account", "reset", "unlink"].filter(Boolean);
  }
  return [];
}

function banner(ecard) {
  const cardStatus = ecard.card?.card_status;
  if (ecard.status === "suspended") {
    const key = cardStatus === "lost" || cardStatus === "locked" ? `ecard.suspended.${cardStatus}` : "ecard.suspended.other";
    return h("p", { class: "alert alert--warn", testid: "ecard-banner", i18n: key });
  }
  if (ecard.status === "unlinked") {
    const key = cardStatus === "replaced" || cardStatus === "cancelled" ? `ecard.unlinked.${cardStatus}` : "ecard.unlinked.other";
    return h("p", { class: "alert alert--error", testid: "ecard-banner", i18n: key });
  }
  return null;
}

function serviceBadge(ecard, service) {
  if (service.available) return h("span", { class: "badge badge--ok", i18n: "ecard.service.available" });
  if (ecard.level < service.level_required) {
    return h("span", { class: "badge", i18n: "ecard.service.needs", vars: { level: service.level_required } });
  }
  return stateBadge("binding", ecard.status);
}

function services(ecard) {
  return h("section", { class: "panel" },
    h("h2", { class: "panel-title", i18n: "ecard.services" }),
    h("ul", { class: "list", testid: "services" },
      (ecard.services ?? []).map((s) =>
        h("li", { class: "row row--between", dataset: { service: s.code, available: String(s.available) } },
          h("span", { i18n: `ecard.service.${s.code}` }),
          serviceBadge(ecard, s)))));
}

export async function render(view, { channel, bindingId, navigate }) {
  const base = `#/c/${encodeURIComponent(channel.key)}`;
  let ecard;
  try {
    ecard = await channelCall(channel.key, "GET", `ecards/${encodeURIComponent(bindingId)}`);
  } catch (err) {
    const box = h("div", { testid: "screen-error" });
    const forget = h("button", { type: "button", class: "btn btn-secondary btn-block", i18n: "ecard.forget", on: { click: () => { forgetBinding(channel.key, bindingId); navigate(base); } } });
    view.replaceChildren(h("h1", { i18n: "app.title" }), box, forget);
    showError(box, err);
    return;
  }
  rememberBinding(channel.key, ecard);
  const cardStatus = ecard.card?.card_status;
  const here = `${base}/e/${encodeURIComponent(bindingId)}`;
  const parts = [
    h("h1", { class: "visually-hidden", i18n: "app.title" }),
    ecardVisual({ name: ecard.card.name_masked, card_no: ecard.card.card_no_masked, status: ecard.status, level: ecard.level }),
    cardStatus
      ? h("p", { class: "muted", testid: "card-status", dataset: { cardStatus } }, h("span", { i18n: "ecard.card_status" }), h("span", { i18n: `card.${cardStatus}` }))
      : null,
    banner(ecard),
    h("nav", { class: "tiles", testid: "actions" },
      actionsFor(ecard).map((action) =>
        h("a", { class: `tile tile--${action}`, href: `${here}/${action}`, testid: `action-${action}` },
          tileIcon(action), h("span", { i18n: `ecard.action.${action}` })))),
    ecard.status === "unlinked"
      ? h("div", { class: "stack" },
        h("a", { class: "btn btn-primary btn-block", href: `${base}/apply`, testid: "apply-again", i18n: "ecard.apply_again" }),
        h("button", { type: "button", class: "btn btn-secondary btn-block", testid: "forget", i18n: "ecard.forget", on: { click: () => { forgetBinding(channel.key, bindingId); navigate(base); } } }))
      : services(ecard),
  ];
  view.replaceChildren(...parts.filter(Boolean));
}
