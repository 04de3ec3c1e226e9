// Identity verification inside the app (R-E3, R-E4, R-E6): the face step with liveness,
// and the SMS path to the bank-reserved phone after the bank four-factor check. A face
// failure offers the SMS path, which also opens level 2 (the FAQ's advice). In the
// sandbox the face outcome is chosen here; the SMS arrives in the sandbox inbox shown
// under the code field, as a phone would show it.

import { registerStrings, t } from "../../shared/i18n.js";
import { clearError, request, reworded, showError, withProgress } from "../../shared/api.js";
import { h, setText } from "../../shared/dom.js";
import { formatDateTime } from "../../shared/ui.js";
import { channelCall } from "../channel.js";

registerStrings({
  zh: {
    "verify.face.heading": "人脸识别",
    "verify.face.hint": "请正对手机，保持光线充足，按提示完成眨眼、张嘴等动作。",
    "verify.face.sandbox": "沙箱：选择人脸识别的结果",
    "verify.face.match": "本人，活体检测通过",
    "verify.face.liveness_fail": "活体检测不通过",
    "verify.face.mismatch": "人脸比对不一致",
    "verify.face.error": "人脸识别服务异常",
    "verify.face.start": "开始人脸识别",
    "verify.face.working": "正在进行活体检测与人脸比对…",
    "verify.face.use_sms": "改用银行预留手机短信认证",
    "verify.face.or_sms": "也可以通过银行预留手机短信认证，同时开通缴费结算功能（二级签发）。",
    "verify.face.or_sms_plain": "也可以通过银行预留手机短信认证。",
    "verify.face.failed.FACE_MISMATCH": "人脸比对未通过",
    "verify.face.failed.FACE_LIVENESS_FAILED": "活体检测未通过",
    "verify.face.failed.FACE_NO_REFERENCE_PHOTO": "公安库和持卡库中没有您的照片，无法进行人脸比对",
    "verify.face.failed.FACE_SERVICE_UNAVAILABLE": "人脸识别服务暂不可用，请稍后再试",
    "verify.face.no_sms": "短信认证需要社保卡的金融功能，您的社保卡金融功能尚未激活，因此无法改用短信认证。请调整光线、正对手机后重新进行人脸识别；或携带社保卡和身份证到发卡银行网点激活金融功能后，再改用银行预留手机短信认证。",
    "verify.sms.hint_plain": "通过社保卡发卡银行四要素（姓名、公民身份号码、银行卡号、手机号码）认证和短信验证确认是本人。",
    "verify.sms.heading": "银行预留手机短信认证",
    "verify.sms.hint": "通过社保卡发卡银行四要素（姓名、公民身份号码、银行卡号、手机号码）认证和短信验证，同时开通缴费结算功能。",
    "verify.sms.account": "社保卡银行卡号",
    "verify.sms.account_missing": "请输入社保卡的银行卡号",
    "verify.sms.phone_missing": "请输入银行预留手机号",
    "verify.sms.phone": "银行预留手机号码",
    "verify.sms.send": "获取验证码",
    "verify.sms.resend_in": "{n} 秒后可重新获取",
    "verify.sms.sent": "验证码已发送至 {phone}",
    "verify.sms.code": "短信验证码",
    "verify.sms.verify": "验证",
    "verify.sms.inbox": "沙箱短信（模拟手机收到的短信）",
    "verify.sms.inbox_empty": "暂未收到短信",
    "verify.sms.inbox_refresh": "刷新短信",
    "verify.sms.use_face": "改用人脸识别",
    "verify.done": "认证通过（可{level}级签发）",
  },
  en: {
    "verify.face.heading": "Face verification",
    "verify.face.hint": "Face the phone in good light and blink or open your mouth when asked.",
    "verify.face.sandbox": "Sandbox: choose the face check's outcome",
    "verify.face.match": "It is me, liveness passes",
    "verify.face.liveness_fail": "Liveness check fails",
    "verify.face.mismatch": "Face does not match",
    "verify.face.error": "Face service fails",
    "verify.face.start": "Start face verification",
    "verify.face.working": "Checking liveness and comparing faces…",
    "verify.face.use_sms": "Verify by SMS to the bank-reserved phone",
    "verify.face.or_sms": "You can also verify by SMS to the bank-reserved phone, which opens payments too (level 2).",
    "verify.face.or_sms_plain": "You can also verify by SMS to the bank-reserved phone.",
    "verify.face.failed.FACE_MISMATCH": "The face does not match.",
    "verify.face.failed.FACE_LIVENESS_FAILED": "The liveness check failed.",
    "verify.face.failed.FACE_NO_REFERENCE_PHOTO": "No reference photo is on file, so the face cannot be compared.",
    "verify.face.failed.FACE_SERVICE_UNAVAILABLE": "Face verification is unavailable; try again later.",
    "verify.face.no_sms": "SMS verification needs the card's financial function, which is not activated on your card, so SMS cannot be used instead. Try the face check again in good light, facing the phone; or have the financial function activated at a branch of the issuing bank (bring the card and your ID card), then verify by SMS.",
    "verify.sms.hint_plain": "The issuing bank checks four factors (name, ID number, bank account number, phone), then an SMS code, to confirm it is you.",
    "verify.sms.heading": "SMS to the bank-reserved phone",
    "verify.sms.hint": "The issuing bank checks four factors (name, ID number, bank account number, phone), then an SMS code; this opens payments too.",
    "verify.sms.account": "The card's bank account number",
    "verify.sms.account_missing": "Enter the card's bank account number",
    "verify.sms.phone_missing": "Enter the bank-reserved phone number",
    "verify.sms.phone": "Bank-reserved phone number",
    "verify.sms.send": "Send code",
    "verify.sms.resend_in": "Resend in {n} s",
    "verify.sms.sent": "Code sent to {phone}",
    "verify.sms.code": "SMS code",
    "verify.sms.verify": "Verify",
    "verify.sms.inbox": "Sandbox SMS (what the phone received)",
    "verify.sms.inbox_empty": "No SMS yet",
    "verify.sms.inbox_refresh": "Refresh SMS",
    "verify.sms.use_face": "Use face verification instead",
    "verify.done": "Verified (level {level} possible)",
  },
});

const kFaceOutcomes = ["match", "liveness_fail", "mismatch", "error"];

// A picture of a face drawn in the page stands in for the camera frame; the sandbox face
// service matches any image except its three outcome texts.
function faceImageBase64(outcome) {
  if (outcome !== "match") return btoa(`sandbox:${outcome}`);
  const canvas = document.createElement("canvas");
  canvas.width = 96;
  canvas.height = 96;
  const g = canvas.getContext("2d");
  g.fillStyle = "#f3d6c1";
  g.beginPath();
  g.arc(48, 48, 36, 0, Math.PI * 2);
  g.fill();
  g.fillStyle = "#333";
  g.fillRect(34, 40, 6, 6);
  g.fillRect(56, 40, 6, 6);
  g.fillRect(38, 62, 20, 3);
  return canvas.toDataURL("image/png").split(",")[1];
}

function faceStep(channel, verificationId, { onVerified, onUseSms, opensLevel2 }) {
  const error = h("div", { hidden: true, testid: "face-error" });
  // R-E6 without a financial function: the platform's advice to use SMS cannot be
  // followed, so say why and what works instead.
  const noSms = h("p", { class: "alert alert--info", hidden: true, testid: "face-no-sms", i18n: "verify.face.no_sms" });
  const progress = h("div", { class: "stack", hidden: true },
    h("div", { class: "progress progress--indeterminate", role: "progressbar" }, h("div", { class: "progress-bar" })),
    h("p", { class: "muted", i18n: "verify.face.working" }));
  const options = kFaceOutcomes.map((outcome, i) =>
    h("label", { class: "choice" },
      h("input", { type: "radio", name: "face-outcome", value: outcome, checked: i === 0, testid: `face-outcome-${outcome}` }),
      h("span", { i18n: `verify.face.${outcome}` })));
  const useSms = onUseSms
    ? h("button", { type: "button", class: "btn btn-secondary btn-block", testid: "use-sms", i18n: "verify.face.use_sms", on: { click: onUseSms } })
    : null;
  const start = h("button", { type: "button", class: "btn btn-primary btn-block", testid: "face-start", i18n: "verify.face.start" });
  start.addEventListener("click", async () => {
    clearError(error);
    const outcome = options.map((o) => o.querySelector("input")).find((i) => i.checked).value;
    progress.hidden = false;
    try {
      const answer = await withProgress(start, channelCall(channel, "POST", `verifications/${encodeURIComponent(verificationId)}/face`, {
        body: { image_base64: faceImageBase64(outcome) },
      }));
      onVerified(answer.level, answer);
    } catch (err) {
      const fallback = err.code?.startsWith("FACE_") || err.extras?.fallback === "sms";
      // The platform's advice to use SMS cannot be followed here: keep only what failed.
      const own = `verify.face.failed.${err.code}`;
      showError(error, !useSms && fallback && t(own) !== own ? reworded(err, own) : err);
      if (useSms && fallback) useSms.classList.replace("btn-secondary", "btn-primary");
      noSms.hidden = Boolean(useSms) || !fallback;
    } finally {
      progress.hidden = true;
    }
  });
  return h("section", { class: "panel stack", testid: "face-step" },
    h("h2", { i18n: "verify.face.heading" }),
    h("div", { class: "face-frame", "aria-hidden": "true" }, h("div", { class: "face-oval" })),
    h("p", { class: "muted", i18n: "verify.face.hint" }),
    h("fieldset", { class: "choices" }, h("legend", { i18n: "verify.face.sandbox" }), options),
    progress, start, error, noSms,
    useSms ? h("p", { class: "muted", i18n: opensLevel2 ? "verify.face.or_sms" : "verify.face.or_sms_plain" }) : null,
    useSms);
}

function smsInbox(phoneInput) {
  const body = h("div", { class: "sms-bubble", testid: "sandbox-sms", i18n: "verify.sms.inbox_empty" });
  const when = h("div", { class: "muted" });
  const refresh = h("button", { type: "button", class: "btn-link", i18n: "verify.sms.inbox_refresh" });
  const load = async () => {
    const phone = phoneInput.value.trim();
    if (!phone) return;
    const { items } = await request("GET", `/v1/sandbox/sms?phone=${encodeURIComponent(phone)}`);
    if (!items.length) return;
    body.removeAttribute("data-i18n");
    body.textContent = items[0].text;
    when.textContent = `${items[0].phone} · ${formatDateTime(items[0].at)}`;
  };
  refresh.addEventListener("click", () => withProgress(refresh, load).catch(() => {}));
  const box = h("div", { class: "sms-inbox", hidden: true },
    h("div", { class: "row row--between" }, h("strong", { i18n: "verify.sms.inbox" }), refresh), body, when);
  return { box, load };
}

function smsStep(channel, verificationId, { onVerified, onUseFace, opensLevel2 }) {
  const error = h("div", { hidden: true, testid: "sms-error" });
  const account = h("input", { id: "sms-account", inputmode: "numeric", autocomplete: "off", testid: "sms-account" });
  const phone = h("input", { id: "sms-phone", type: "tel", inputmode: "numeric", autocomplete: "tel", testid: "sms-phone" });
  const code = h("input", { id: "sms-code", inputmode: "numeric", autocomplete: "one-time-code", maxlength: 6, testid: "sms-code" });
  const sentNote = h("p", { class: "alert alert--success", hidden: true, testid: "sms-sent" });
  const send = h("button", { type: "button", class: "btn btn-secondary", testid: "sms-send", i18n: "verify.sms.send" });
  const verify = h("button", { type: "button", class: "btn btn-primary btn-block", testid: "sms-verify", i18n: "verify.sms.verify", disabled: true });
  const inbox = smsInbox(phone);
  let timer = null;
  const countdown = (seconds) => {
    clearInterval(timer);
    let left = seconds;
    send.disabled = true;
    const tick = () => {
      if (!send.isConnected || left <= 0) {
        clearInterval(timer);
        send.disabled = false;
        setText(send, "verify.sms.send");
        return;
      }
      setText(send, "verify.sms.resend_in", { n: left });
      left -= 1;
    };
    tick();
    timer = setInterval(tick, 1000);
  };
  const accountError = h("span", { class: "field-error", id: "sms-account-error", testid: "sms-account-error" });
  const phoneError = h("span", { class: "field-error", id: "sms-phone-error", testid: "sms-phone-error" });
  account.setAttribute("aria-describedby", "sms-account-error");
  phone.setAttribute("aria-describedby", "sms-phone-error");
  // 获取验证码 names what is missing before anything is sent.
  const missing = () => {
    const lines = [[account, accountError, "verify.sms.account_missing"], [phone, phoneError, "verify.sms.phone_missing"]];
    for (const [input, line, key] of lines) {
      const empty = !input.value.trim();
      input.setAttribute("aria-invalid", String(empty));
      if (empty) setText(line, key);
      else {
        delete line.dataset.i18n;
        line.textContent = "";
      }
    }
    const first = lines.find(([input]) => !input.value.trim());
    first?.[0].focus();
    return Boolean(first);
  };
  send.addEventListener("click", async () => {
    clearError(error);
    if (missing()) return;
    try {
      const answer = await withProgress(send, channelCall(channel, "POST", `verifications/${encodeURIComponent(verificationId)}/sms`, {
        body: { bank_account_no: account.value.trim(), phone: phone.value.trim() },
      }));
      sentNote.hidden = false;
      setText(sentNote, "verify.sms.sent", { phone: answer.phone_masked });
      verify.disabled = false;
      inbox.box.hidden = false;
      await inbox.load();
      countdown(answer.resend_after ?? 60);
      code.focus();
    } catch (err) {
      showError(error, err);
      if (err.extras?.retry_after) countdown(err.extras.retry_after);
    }
  });
  verify.addEventListener("click", async () => {
    clearError(error);
    try {
      const answer = await withProgress(verify, channelCall(channel, "POST", `verifications/${encodeURIComponent(verificationId)}/sms/verify`, {
        body: { code: code.value.trim() },
      }));
      clearInterval(timer);
      onVerified(answer.level, answer);
    } catch (err) {
      showError(error, err);
    }
  });
  return h("section", { class: "panel stack", testid: "sms-step" },
    h("h2", { i18n: "verify.sms.heading" }),
    h("p", { class: "muted", i18n: opensLevel2 ? "verify.sms.hint" : "verify.sms.hint_plain" }),
    h("div", {},
      h("div", { class: "field" }, h("label", { for: "sms-account", i18n: "verify.sms.account" }), account, accountError),
      h("div", { class: "field" }, h("label", { for: "sms-phone", i18n: "verify.sms.phone" }), phone, phoneError),
      send),
    sentNote,
    inbox.box,
    h("div", { class: "field" }, h("label", { for: "sms-code", i18n: "verify.sms.code" }), code),
    verify, error,
    onUseFace ? h("button", { type: "button", class: "btn-link", i18n: "verify.sms.use_face", on: { click: onUseFace } }) : null);
}

// `verification` is the answer of POST /v1/verifications; `onVerified(level, answer)` runs once
// the face or SMS step passes. The face step is offered only where the platform lists it.
// `purpose` is the verification's: only an application ("issue") and an upgrade turn
// an SMS check into level 2, so only they promise it.
export function verificationFlow(channel, verification, onVerified, purpose = "issue") {
  const holder = h("div", { class: "verify-flow" });
  const faceOffered = verification.methods.includes("face");
  const smsOffered = verification.methods.includes("sms");
  const opensLevel2 = purpose === "issue" || purpose === "upgrade";
  const showSms = () => holder.replaceChildren(smsStep(channel, verification.verification_id, { onVerified, onUseFace: faceOffered ? showFace : null, opensLevel2 }));
  const showFace = () => holder.replaceChildren(faceStep(channel, verification.verification_id, { onVerified, onUseSms: smsOffered ? showSms : null, opensLevel2 }));
  if (faceOffered) showFace();
  else if (smsOffered) showSms();
  return holder;
}
