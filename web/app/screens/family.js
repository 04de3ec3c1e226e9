// 亲情账户 (family accounts, R-F1…R-F4): the holder adds a child or an elderly parent,
// shows the member's code from this phone (labelled with whose it is), reads the
// member's records and removes a member. A member of 16 or over consents on this same
// phone with their own face or SMS verification (purpose family_consent).

import { registerStrings, t } from "../../shared/i18n.js";
import { clearError, showError, withProgress, yuan } from "../../shared/api.js";
import { h } from "../../shared/dom.js";
import { formatDateTime, toast } from "../../shared/ui.js";
import { channelCall } from "../channel.js";
import { withSession } from "../components/session.js";
import { verificationFlow } from "../components/verify.js";
import { qrPanel } from "./qr.js";

registerStrings({
  zh: {
    "family.heading": "亲情账户",
    "family.intro": "为没有智能手机的老人、孩子代为出示电子社保卡二维码：药店、医院扫码后，由成员本人的医保个人账户支付。每人最多添加5名成员。",
    "family.none": "还没有添加成员",
    "family.add": "添加成员",
    "family.name": "成员姓名",
    "family.id": "成员公民身份号码",
    "family.relation": "与您的关系",
    "family.relation.spouse": "配偶",
    "family.relation.child": "子女",
    "family.relation.parent": "父母",
    "family.relation.other": "其他",
    "family.submit": "添加",
    "family.added": "已添加 {name}",
    "family.consent.heading": "请成员本人验证",
    "family.consent.intro": "年满16周岁的成员须本人同意：请把手机交给 {name}，由其本人完成人脸识别或短信验证。",
    "family.code": "出示TA的码",
    "family.records": "TA的记录",
    "family.remove": "移除",
    "family.remove_confirm": "确认移除",
    "family.removed": "已移除 {name}",
    "family.since": "添加于 {at}",
    "family.code_of": "{name} 的电子社保卡（亲情账户代出示）",
    "family.records_of": "{name} 的医保结算记录",
    "family.records_none": "暂无结算记录",
    "family.back": "返回成员列表",
  },
  en: {
    "family.heading": "Family account",
    "family.intro": "Show the e-card code of a parent or child without a smartphone: the pharmacy or hospital scans it and the member's own personal account pays. Up to 5 members.",
    "family.none": "No members yet",
    "family.add": "Add a member",
    "family.name": "Member's name",
    "family.id": "Member's citizen ID number",
    "family.relation": "Relation to you",
    "family.relation.spouse": "Spouse",
    "family.relation.child": "Child",
    "family.relation.parent": "Parent",
    "family.relation.other": "Other",
    "family.submit": "Add",
    "family.added": "{name} added",
    "family.consent.heading": "The member verifies",
    "family.consent.intro": "A member aged 16 or over consents for themselves: hand the phone to {name} to pass their own face or SMS verification.",
    "family.code": "Show their code",
    "family.records": "Their records",
    "family.remove": "Remove",
    "family.remove_confirm": "Yes, remove",
    "family.removed": "{name} removed",
    "family.since": "Added {at}",
    "family.code_of": "{name}'s e-card, shown from a family account",
    "family.records_of": "{name}'s medical settlements",
    "family.records_none": "No settlements yet",
    "family.back": "Back to the members",
  },
});

const kRelations = ["child", "parent", "spouse", "other"];

export async function render(view, { channel, bindingId }) {
  const body = h("div", { class: "stack" });
  let timer = null;
  let stopped = false;
  view.replaceChildren(h("h1", { i18n: "family.heading" }), body);
  await withSession(channel.key, bindingId, body, async (token) => {
    const base = `ecards/${encodeURIComponent(bindingId)}/family`;
    const call = (method, rest = "", options = {}) => channelCall(channel.key, method, `${base}${rest}`, { ...options, session: token });
    const back = () => h("button", { type: "button", class: "btn-link", testid: "family-back", i18n: "family.back", on: { click: showList } });

    const showCode = async (member) => {
      clearInterval(timer);
      const panel = qrPanel(channel.key, bindingId, token, "payment", {
        stopped: () => stopped, onSessionLost: showList, path: `${base}/${encodeURIComponent(member.member_id)}/qrcodes`,
      });
      body.replaceChildren(
        h("div", { class: "qr-card", testid: "family-code-of" },
          h("span", { class: "ecard-emblem", "aria-hidden": "true" }),
          h("strong", { i18n: "family.code_of", vars: { name: member.name_masked } })),
        panel.element, back());
      await panel.load();
      timer = setInterval(panel.tick, 250);
    };

    const showRecords = async (member) => {
      clearInterval(timer);
      const answer = await call("GET", `/${encodeURIComponent(member.member_id)}/records?kind=settlements`);
      body.replaceChildren(
        h("h2", { i18n: "family.records_of", vars: { name: member.name_masked } }),
        answer.items.length
          ? h("ul", { class: "list", testid: "family-records" }, answer.items.map((r) =>
            h("li", { class: "row row--between", testid: "family-record" },
              h("span", {}, formatDateTime(r.at), " · ", r.institution_name || r.order_id),
              h("span", { class: "mono" }, yuan(r.total_fen)))))
          : h("p", { class: "muted", i18n: "family.records_none" }),
        back());
    };

    const memberItem = (member) => {
      // 移除 asks once more before the member is taken out of the family account.
      const remove = h("button", { type: "button", class: "btn btn-secondary", testid: "family-remove", i18n: "family.remove" });
      const confirmRemove = h("button", { type: "button", class: "btn btn-danger", testid: "family-remove-confirm", i18n: "family.remove_confirm", hidden: true });
      const keep = h("button", { type: "button", class: "btn btn-secondary", testid: "family-remove-cancel", i18n: "common.cancel", hidden: true });
      const asking = (yes) => {
        remove.hidden = yes;
        confirmRemove.hidden = !yes;
        keep.hidden = !yes;
      };
      remove.addEventListener("click", () => {
        asking(true);
        confirmRemove.focus();
      });
      keep.addEventListener("click", () => asking(false));
      confirmRemove.addEventListener("click", async () => {
        await withProgress(confirmRemove, call("DELETE", `/${encodeURIComponent(member.member_id)}`));
        toast(t("family.removed", { name: member.name_masked }), "success");
        showList();
      });
      return h("li", { class: "panel stack", testid: "family-member", dataset: { relation: member.relation } },
        h("div", { class: "row row--between" },
          h("strong", { testid: "family-member-name" }, member.name_masked),
          h("span", { class: "badge", i18n: `family.relation.${member.relation}` })),
        h("div", { class: "muted mono" }, member.id_number_masked),
        h("div", { class: "muted", i18n: "family.since", vars: { at: formatDateTime(member.since) } }),
        h("div", { class: "row" },
          h("button", { type: "button", class: "btn btn-primary", testid: "family-show-code", i18n: "family.code", on: { click: () => showCode(member) } }),
          h("button", { type: "button", class: "btn btn-secondary", testid: "family-show-records", i18n: "family.records", on: { click: () => showRecords(member) } }),
          remove, confirmRemove, keep));
    };

    const addForm = () => {
      const name = h("input", { id: "family-name", required: true, testid: "family-name", autocomplete: "off" });
      const id = h("input", { id: "family-id", class: "mono", required: true, maxlength: 18, testid: "family-id", autocomplete: "off" });
      const relation = h("select", { id: "family-relation", testid: "family-relation" },
        kRelations.map((r) => h("option", { value: r, i18n: `family.relation.${r}` })));
      const error = h("div", { hidden: true, testid: "family-error" });
      const submit = h("button", { type: "submit", class: "btn btn-primary btn-block", testid: "family-submit", i18n: "family.submit" });
      const consent = h("div", { testid: "family-consent" });
      const form = h("form", { class: "panel stack", novalidate: true },
        h("h2", { i18n: "family.add" }),
        h("div", { class: "field" }, h("label", { for: "family-name", i18n: "family.name" }), name),
        h("div", { class: "field" }, h("label", { for: "family-id", i18n: "family.id" }), id),
        h("div", { class: "field" }, h("label", { for: "family-relation", i18n: "family.relation" }), relation),
        submit, error, consent);
      const add = async (verificationId) => {
        const answer = await call("POST", "", { body: {
          name: name.value.trim(), id_number: id.value.trim().toUpperCase(), relation: relation.value,
          ...(verificationId ? { verification_id: verificationId } : {}),
        } });
        toast(t("family.added", { name: answer.name_masked }), "success");
        showList();
      };
      // R-F2: the member verifies themself on this phone, then the holder's request is repeated.
      const askConsent = async () => {
        const verification = await channelCall(channel.key, "POST", "verifications", {
          body: { purpose: "family_consent", name: name.value.trim(), id_number: id.value.trim().toUpperCase() },
        });
        consent.replaceChildren(
          h("h3", { i18n: "family.consent.heading" }),
          h("p", { class: "muted", i18n: "family.consent.intro", vars: { name: name.value.trim() } }),
          verificationFlow(channel.key, verification, () => add(verification.verification_id).catch((err) => showError(error, err)), "family_consent"));
      };
      form.addEventListener("submit", async (event) => {
        event.preventDefault();
        clearError(error);
        try {
          await withProgress(submit, add(null));
        } catch (err) {
          if (err.code === "FAMILY_CONSENT_REQUIRED") {
            try {
              await askConsent();
            } catch (inner) {
              showError(error, inner);
            }
            return;
          }
          showError(error, err);
        }
      });
      return form;
    };

    async function showList() {
      clearInterval(timer);
      const answer = await call("GET");
      body.replaceChildren(
        h("p", { class: "muted", i18n: "family.intro" }),
        answer.items.length
          ? h("ul", { class: "list stack", testid: "family-list" }, answer.items.map(memberItem))
          : h("p", { class: "muted", testid: "family-none", i18n: "family.none" }),
        addForm());
    }
    await showList();
  });
  return () => {
    stopped = true;
    clearInterval(timer);
  };
}
