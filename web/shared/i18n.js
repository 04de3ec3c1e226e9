// Chinese-first translations for every page. Chinese is the default; the choice is kept in
// localStorage "essc.lang" so all three pages open in the language last picked. Pages
// register their own strings; the common ones (states, levels, buttons, error details)
// are registered here so every page names a state the same way.

const kStorageKey = "essc.lang";
const kLanguages = ["zh", "en"];
const strings = { zh: {}, en: {} };

function storedLanguage() {
  try {
    const stored = localStorage.getItem(kStorageKey);
    return kLanguages.includes(stored) ? stored : "zh";
  } catch {
    return "zh";
  }
}

let current = storedLanguage();
document.documentElement.lang = current === "zh" ? "zh-CN" : "en";

export function registerStrings(table) {
  for (const lang of kLanguages) Object.assign(strings[lang], table[lang] ?? {});
}

export function language() {
  return current;
}

// `vars` fill "{name}" placeholders; a key missing in English falls back to Chinese, and a
// key missing everywhere shows itself so the gap is visible rather than blank.
export function t(key, vars = {}) {
  const text = strings[current][key] ?? strings.zh[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (whole, name) => (name in vars ? String(vars[name]) : whole));
}

// The text of `key` in `lang`, whatever the page shows now: for messages kept in both
// languages (an ApiError a page words in its own terms).
export function tIn(lang, key, vars = {}) {
  const text = strings[lang]?.[key] ?? strings.zh[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (whole, name) => (name in vars ? String(vars[name]) : whole));
}

export function setLanguage(lang) {
  if (!kLanguages.includes(lang) || lang === current) return;
  current = lang;
  try {
    localStorage.setItem(kStorageKey, lang);
  } catch {
    // Private browsing may refuse storage; the choice then lasts for this page only.
  }
  document.documentElement.lang = lang === "zh" ? "zh-CN" : "en";
  applyTranslations();
  window.dispatchEvent(new Event("languagechange"));  // listeners read language()
}

export function applyTranslations(root = document) {
  for (const el of root.querySelectorAll("[data-i18n]")) {
    el.textContent = t(el.dataset.i18n, el.dataset.i18nVars ? JSON.parse(el.dataset.i18nVars) : {});
  }
  for (const el of root.querySelectorAll("[data-i18n-placeholder]")) {
    el.placeholder = t(el.dataset.i18nPlaceholder);
  }
  for (const el of root.querySelectorAll("[data-i18n-title]")) el.title = t(el.dataset.i18nTitle);
  for (const el of root.querySelectorAll("[data-i18n-aria-label]")) {
    el.setAttribute("aria-label", t(el.dataset.i18nAriaLabel));
  }
  if (root === document && document.body?.dataset.i18nDocTitle) {
    document.title = t(document.body.dataset.i18nDocTitle);
  }
}

// A two-button 中文 / English toggle; each button says its language in that language.
export function mountLanguageSwitch(el) {
  el.classList.add("lang-switch");
  el.setAttribute("role", "group");
  el.setAttribute("aria-label", "Language / 语言");
  el.replaceChildren();
  const buttons = [
    ["zh", "中文"],
    ["en", "English"],
  ].map(([lang, label]) => {
    const button = document.createElement("button");
    button.type = "button";
    button.lang = lang;
    button.dataset.lang = lang;
    button.textContent = label;
    button.addEventListener("click", () => setLanguage(lang));
    el.append(button);
    return button;
  });
  const mark = () => {
    for (const b of buttons) b.setAttribute("aria-pressed", String(b.dataset.lang === current));
  };
  mark();
  window.addEventListener("languagechange", mark);
}

registerStrings({
  zh: {
    "common.loading": "加载中…",
    "common.working": "处理中…",
    "common.ok": "确定",
    "common.cancel": "取消",
    "common.back": "返回",
    "common.close": "关闭",
    "common.submit": "提交",
    "common.retry": "重试",
    "common.refresh": "刷新",
    "common.none": "暂无记录",
    "common.hotline": "其他原因请拨打人力资源社会保障热线：{hotline}",
    "error.tries_left": "还可尝试 {n} 次",
    "error.retry_after": "请 {n} 秒后再试",
    "error.unlock_at": "将于 {time} 解锁",
    "error.level_required": "需要{level}级签发",
    "error.fallback_sms": "可改用银行预留手机短信认证",
    "error.request_id": "请求编号 {id}",
    "error.field": "请检查：{field}",
    "field.name": "姓名（最多30个字）",
    "field.id_number": "公民身份号码",
    "field.phone": "手机号码",
    "field.bank_account_no": "银行卡号",
    "field.reserved_phone": "银行预留手机号",
    "field.card_no": "社会保障卡卡号",
    "field.password": "密码",
    "field.new_password": "新密码",
    "field.code": "验证码",
    "field.items": "药品或诊疗项目明细",
    "field.order_id": "订单号",
    "field.visit": "就诊类型",
    "field.self_pay_from_bank": "银行卡支付自付部分",
    "field.treatment_region": "就医地",
    "field.region_code": "参保地",
    "field.from": "开始日期",
    "field.to": "结束日期",
    "field.date": "日期",
    "field.period": "缴费期",
    "field.insurance": "险种",
    "field.amount_fen": "金额",
    "field.relation": "关系",
    "field.reason": "原因",
    "field.memo": "备注",
    "field.hr_pin": "社保密码",
    "field.financial_pin": "金融密码",
    "field.username": "登录名",
    "field.bank_code": "发卡银行",
    "card.pending_pickup": "未领取",
    "card.inactive": "未激活",
    "card.active": "正常",
    "card.lost": "已挂失",
    "card.locked": "已锁定",
    "card.cancelled": "已注销",
    "card.replaced": "已补换",
    "binding.usable": "可用",
    "binding.suspended": "暂停使用",
    "binding.unlinked": "已解除关联",
    "level.1": "一级签发",
    "level.2": "二级签发",
    "channel.gov": "政务渠道",
    "channel.bank": "银行渠道",
    "channel.third_party": "第三方渠道",
    "institution.pharmacy": "定点药店",
    "institution.hospital": "定点医院",
    "institution.service_hall": "服务大厅",
  },
  en: {
    "common.loading": "Loading…",
    "common.working": "Working…",
    "common.ok": "OK",
    "common.cancel": "Cancel",
    "common.back": "Back",
    "common.close": "Close",
    "common.submit": "Submit",
    "common.retry": "Retry",
    "common.refresh": "Refresh",
    "common.none": "Nothing yet",
    "common.hotline": "For other causes call the HR and social security hotline: {hotline}",
    "error.tries_left": "{n} tries left",
    "error.retry_after": "Retry in {n} s",
    "error.unlock_at": "Unlocks at {time}",
    "error.level_required": "Needs level {level} issuance",
    "error.fallback_sms": "You can verify by SMS to the bank-reserved phone instead",
    "error.request_id": "Request {id}",
    "error.field": "Check the {field}",
    "field.name": "name (at most 30 characters)",
    "field.id_number": "citizen ID number",
    "field.phone": "mobile phone number",
    "field.bank_account_no": "bank account number",
    "field.reserved_phone": "bank-reserved phone",
    "field.card_no": "card number",
    "field.password": "password",
    "field.new_password": "new password",
    "field.code": "verification code",
    "field.items": "bill items",
    "field.order_id": "order number",
    "field.visit": "kind of visit",
    "field.self_pay_from_bank": "self-pay from the bank card",
    "field.treatment_region": "treatment region",
    "field.region_code": "insured region",
    "field.from": "start date",
    "field.to": "end date",
    "field.date": "date",
    "field.period": "period",
    "field.insurance": "insurance",
    "field.amount_fen": "amount",
    "field.relation": "relation",
    "field.reason": "reason",
    "field.memo": "memo",
    "field.hr_pin": "HR PIN",
    "field.financial_pin": "financial PIN",
    "field.username": "user name",
    "field.bank_code": "issuing bank",
    "card.pending_pickup": "Not collected",
    "card.inactive": "Not activated",
    "card.active": "Active",
    "card.lost": "Reported lost",
    "card.locked": "Locked",
    "card.cancelled": "Cancelled",
    "card.replaced": "Replaced",
    "binding.usable": "Usable",
    "binding.suspended": "Suspended",
    "binding.unlinked": "Unlinked",
    "level.1": "Level 1",
    "level.2": "Level 2",
    "channel.gov": "Government channel",
    "channel.bank": "Bank channel",
    "channel.third_party": "Third-party channel",
    "institution.pharmacy": "Designated pharmacy",
    "institution.hospital": "Designated hospital",
    "institution.service_hall": "Service hall",
  },
});
