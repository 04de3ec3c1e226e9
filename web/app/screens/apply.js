// Applying for the e-card in a channel (R-E3…R-E7): name and ID number, then face (or
// the SMS path after a face failure), then the password: a new one on first issuance, the
// existing one when the platform says the e-card is already held in another channel (one
// password for all, R-E7).
// Card-state refusals (not collected, not activated, lost, locked, cancelled, replaced,
// name/ID mismatch) come back from the first step with the FAQ's wording (R-E5).

import { language, registerStrings, t } from "../../shared/i18n.js";
import { clearError, reworded, showError, withProgress } from "../../shared/api.js";
import { h, setText } from "../../shared/dom.js";
import { focusHeading, hotlineText, levelBadge, toast } from "../../shared/ui.js";
import { channelCall, channels, otherChannelsHolding, rememberBinding } from "../channel.js";
import { verificationFlow } from "../components/verify.js";
import { existingPasswordField, newPasswordField, submitWhenReady } from "../components/password_input.js";
import { stepIndicator } from "../components/steps.js";

registerStrings({
  zh: {
    "apply.heading": "申领电子社保卡",
    "apply.step.identity": "实名信息",
    "apply.step.verify": "实人认证",
    "apply.step.password": "设置密码",
    "apply.step.done": "完成",
    "apply.name": "姓名",
    "apply.id_number": "公民身份号码",
    "apply.id_hint": "18位，最后一位可能是X",
    "apply.next": "下一步",
    "apply.check_card": "申领失败时请先检查实体卡：①确认是否已经领取实体社保卡；②如已领取，请确认社保卡是否未激活、已挂失、已注销、已锁定。其他原因请拨打人力资源社会保障热线：{hotline}",
    "apply.card": "将签发到社会保障卡 {card}",
    "apply.new_hint": "请设置电子社保卡密码，各渠道APP共用此密码。",
    "apply.name_missing": "请输入姓名（与身份证上一致）",
    "apply.name_long": "姓名最多{n}个字，请与身份证上一致",
    "apply.exists": "您已在本渠道领取过电子社保卡，无需重复申领。请返回“我的电子社保卡”打开使用。",
    "apply.id_missing": "请输入18位公民身份号码",
    "apply.id_shape": "公民身份号码为18位：17位数字，最后一位是数字或X",
    "apply.existing_hint": "您已在{channels}领取电子社保卡。各渠道APP的电子社保卡密码共用，请输入原电子社保卡密码。",
    "apply.existing_hint_unknown": "您已在其他渠道领取电子社保卡。各渠道APP的电子社保卡密码共用，请输入原电子社保卡密码。",
    "apply.issue": "确认签发",
    "apply.issuing": "正在签发…",
    "apply.done": "电子社保卡签发成功",
    "apply.done_level": "签发级别：",
    "apply.level2_note": "已开通缴费结算功能。",
    "apply.level1_note": "可用于身份凭证、自助查询和定点医院、药店医保结算；开通缴费结算需升级二级签发。",
    "apply.open": "查看电子社保卡",
  },
  en: {
    "apply.heading": "Apply for the e-card",
    "apply.step.identity": "Name and ID",
    "apply.step.verify": "Verify it's you",
    "apply.step.password": "Password",
    "apply.step.done": "Done",
    "apply.name": "Name",
    "apply.id_number": "Citizen ID number",
    "apply.id_hint": "18 characters; the last may be X",
    "apply.next": "Next",
    "apply.check_card": "If the application fails, check the physical card first: ① has it been collected? ② if so, is it not activated, reported lost, cancelled or locked? For other causes call the HR and social security hotline: {hotline}",
    "apply.card": "For social security card {card}",
    "apply.new_hint": "Set the e-card password, which every channel app shares.",
    "apply.name_missing": "Enter your name as on your ID card",
    "apply.name_long": "A name has at most {n} characters; enter it as on your ID card",
    "apply.exists": "You already hold the e-card in this channel; there is no need to apply again. Open it from My e-cards.",
    "apply.id_missing": "Enter your 18-character citizen ID number",
    "apply.id_shape": "A citizen ID number has 18 characters: 17 digits, then a digit or X",
    "apply.existing_hint": "You hold the e-card in {channels}. All channel apps share one e-card password: enter it.",
    "apply.existing_hint_unknown": "You hold the e-card in another channel. All channel apps share one e-card password: enter it.",
    "apply.issue": "Issue the e-card",
    "apply.issuing": "Issuing…",
    "apply.done": "Your e-card is issued",
    "apply.done_level": "Issuance level: ",
    "apply.level2_note": "Payments (contributions, bank payment) are open.",
    "apply.level1_note": "Good for identity, self-service queries and medical settlement at designated pharmacies and hospitals; payments need the level 2 upgrade.",
    "apply.open": "Open the e-card",
  },
});

const kNameLengthMax = 30;  // the platform's bound on a name (src/common/limits.hpp)

const kSteps = ["apply.step.identity", "apply.step.verify", "apply.step.password", "apply.step.done"];

function identityStep(channel, onStarted) {
  const name = h("input", { id: "apply-name", autocomplete: "name", testid: "apply-name" });
  const idNumber = h("input", { id: "apply-id", autocomplete: "off", maxlength: 18, class: "mono", testid: "apply-id" });
  const error = h("div", { hidden: true, testid: "apply-error" });
  const hint = h("p", { class: "muted", hidden: true, testid: "apply-check-card" });
  const next = h("button", { type: "submit", class: "btn btn-primary btn-block", testid: "apply-next", i18n: "apply.next" });
  const nameError = h("span", { class: "field-error", id: "apply-name-error", testid: "apply-name-error" });
  const idError = h("span", { class: "field-error", id: "apply-id-error", testid: "apply-id-error" });
  name.setAttribute("aria-describedby", "apply-name-error");
  idNumber.setAttribute("aria-describedby", "apply-id-hint apply-id-error");
  const form = h("form", { class: "panel", novalidate: true },
    h("div", { class: "field" }, h("label", { for: "apply-name", i18n: "apply.name" }), name, nameError),
    h("div", { class: "field" }, h("label", { for: "apply-id", i18n: "apply.id_number" }), idNumber,
      h("span", { class: "field-hint", id: "apply-id-hint", i18n: "apply.id_hint" }), idError),
    next, error, hint);
  // Says what is missing in people's words before anything is sent.
  const checkLocally = (person) => {
    for (const line of [nameError, idError]) {
      delete line.dataset.i18n;
      line.textContent = "";
    }
    if (!person.name) setText(nameError, "apply.name_missing");
    else if ([...person.name].length > kNameLengthMax) setText(nameError, "apply.name_long", { n: kNameLengthMax });
    if (!person.id_number) setText(idError, "apply.id_missing");
    else if (!/^[0-9]{17}[0-9X]$/.test(person.id_number)) setText(idError, "apply.id_shape");
    name.setAttribute("aria-invalid", String(Boolean(nameError.textContent)));
    idNumber.setAttribute("aria-invalid", String(Boolean(idError.textContent)));
    if (nameError.textContent) name.focus();
    else if (idError.textContent) idNumber.focus();
    return !nameError.textContent && !idError.textContent;
  };
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    clearError(error);
    hint.hidden = true;
    name.removeAttribute("aria-invalid");
    idNumber.removeAttribute("aria-invalid");
    const person = { name: name.value.trim(), id_number: idNumber.value.trim().toUpperCase() };
    if (!checkLocally(person)) return;
    try {
      const verification = await withProgress(next, channelCall(channel.key, "POST", "verifications", { body: { purpose: "issue", ...person } }));
      onStarted(verification, person);
    } catch (err) {
      showError(error, err);
      // R-E5, the FAQ's 申领失败 answer: what to check on the physical card, then the hotline.
      if (err.status === 422 && err.extras?.hotline && /^CARD_|^NAME_ID_MISMATCH$/.test(err.code)) {
        hotlineText(hint, "apply.check_card", err.extras.hotline);
        hint.hidden = false;
      }
      if (err.code === "INVALID_ID_NUMBER" || err.extras?.field === "id_number") idNumber.setAttribute("aria-invalid", "true");
      if (err.extras?.field === "name") name.setAttribute("aria-invalid", "true");
    }
  });
  return form;
}

// The platform says after the verification whether the person already has an e-card
// password (R-E7): then this channel asks for that one, else for a new one.
async function passwordStep(channel, verification, person, passwordSet, onIssued) {
  const password = passwordSet ? existingPasswordField("existing-password") : newPasswordField({ idNumber: person.id_number });
  const hint = h("p", { class: "alert alert--info", testid: "password-hint" });
  if (passwordSet) {
    const holders = otherChannelsHolding(channel.key, verification.card_no_masked);
    const names = (await channels()).filter((c) => holders.includes(c.key)).map((c) => c.name);
    if (names.length) setText(hint, "apply.existing_hint", { channels: names.join(language() === "en" ? ", " : "、") });
    else setText(hint, "apply.existing_hint_unknown");
  } else {
    setText(hint, "apply.new_hint");
  }
  const error = h("div", { hidden: true, testid: "issue-error" });
  const issue = h("button", { type: "submit", class: "btn btn-primary btn-block", testid: "issue", i18n: "apply.issue" });
  const form = h("form", { class: "panel stack", novalidate: true },
    h("h2", { i18n: "apply.step.password" }), hint, password.element, issue, error);
  // R-W1: a mistyped second entry or a rule broken is caught here, never issued.
  submitWhenReady(issue, password);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    clearError(error);
    try {
      const ecard = await withProgress(issue, channelCall(channel.key, "POST", "ecards", {
        body: { verification_id: verification.verification_id, password: password.value() },
      }));
      onIssued(rememberBinding(channel.key, ecard));
    } catch (err) {
      // ECARD_EXISTS: the e-card is already held in this channel; say where it is.
      showError(error, err.code === "ECARD_EXISTS" ? reworded(err, "apply.exists") : err);
    }
  });
  return form;
}

function doneStep(channel, entry) {
  return h("section", { class: "panel stack done-panel", testid: "apply-done" },
    h("div", { class: "done-mark", "aria-hidden": "true", text: "✓" }),
    h("h2", { i18n: "apply.done" }),
    h("p", {}, h("span", { i18n: "apply.done_level" }), levelBadge(entry.level)),
    h("p", { class: "muted", i18n: entry.level >= 2 ? "apply.level2_note" : "apply.level1_note" }),
    h("a", { class: "btn btn-primary btn-block", href: `#/c/${encodeURIComponent(channel.key)}/e/${encodeURIComponent(entry.binding_id)}`, testid: "open-ecard", i18n: "apply.open" }));
}

export async function render(view, { channel }) {
  const body = h("div", { class: "stack" });
  const show = (step, ...content) => {
    body.replaceChildren(stepIndicator(kSteps, step), ...content);
    window.scrollTo(0, 0);
    // A screen reader hears the new step, not the top of the page.
    if (step > 0) focusHeading(body);
  };
  const start = () => show(0, identityStep(channel, (verification, person) => {
    const cardLine = h("p", { class: "muted", testid: "apply-card" });
    setText(cardLine, "apply.card", { card: verification.card_no_masked });
    show(1, cardLine, verificationFlow(channel.key, verification, async (level, answer) => {
      show(2, cardLine, await passwordStep(channel, verification, person, answer.password_set === true, (entry) => {
        toast(t("apply.done"), "success");
        show(3, doneStep(channel, entry));
      }));
    }));
  }));
  start();
  view.replaceChildren(h("h1", { i18n: "apply.heading" }), body);
}
