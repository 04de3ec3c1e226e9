#include "common/error.hpp"

#include <array>

namespace essc {
namespace {

// Indexed by ErrorCode. Card-state and identity messages (R-E5) say what to do and
// name the 12333 hotline for any other cause.
constexpr std::array<ErrorInfo, kErrorCodeCount> kCatalogue{{
    {"INVALID_REQUEST", 400, "请求参数无效", "The request is invalid."},
    {"INVALID_ID_NUMBER", 400, "公民身份号码格式错误或校验位不正确",
     "The citizen ID number is malformed or its check character is wrong."},
    {"INVALID_CARD_NO", 400, "社会保障卡卡号格式错误", "The card number is malformed."},
    {"INVALID_PHONE", 400, "手机号码格式错误", "The mobile phone number is malformed."},
    {"INVALID_BANK_ACCOUNT", 400, "银行卡号格式错误或校验不通过",
     "The bank account number is malformed or fails its check digit."},
    {"INVALID_AMOUNT", 400, "金额无效，须为以分计的正整数",
     "The amount is invalid; it must be a positive whole number of fen."},
    {"INVALID_PASSWORD_FORMAT", 400, "密码须为6位数字", "The password must be 6 digits."},
    {"UNAUTHENTICATED", 401, "身份认证失败", "Authentication failed."},
    {"SIGNATURE_EXPIRED", 401, "请求时间戳超出允许范围，请校准时间后重试",
     "The request timestamp is outside the allowed window; check the clock and retry."},
    {"NONCE_REUSED", 401, "请求随机数已使用，疑似重放", "The request nonce was already used."},
    {"SESSION_INVALID", 401, "会话无效或已过期，请重新登录",
     "The session is invalid or has expired; sign in again."},
    {"FORBIDDEN", 403, "无权执行此操作", "You are not allowed to do this."},
    {"CLIENT_SUSPENDED", 403, "接入方已被暂停服务", "This client is suspended."},
    {"NOT_FOUND", 404, "资源不存在", "Not found."},
    {"METHOD_NOT_ALLOWED", 405, "不支持该请求方法", "This method is not allowed here."},
    {"CONFLICT", 409, "与现有数据冲突", "This conflicts with existing data."},
    {"IDEMPOTENCY_MISMATCH", 409, "同一幂等标识对应的请求内容不一致",
     "The same idempotency key was used with a different request."},
    {"INVALID_STATE_TRANSITION", 409, "当前卡状态不允许此操作",
     "The card's current state does not allow this action."},
    {"ALREADY_REFUNDED", 409, "该笔结算已退款", "This settlement has already been refunded."},
    {"PAYLOAD_TOO_LARGE", 413, "请求内容过大", "The request body is too large."},
    {"CARD_NOT_FOUND", 422, "未查询到您的社会保障卡，请先申领实体社保卡，其他原因请拨打12333",
     "No social security card was found; apply for the physical card first. For other causes "
     "call 12333."},
    {"CARD_NOT_COLLECTED", 422, "实体社保卡尚未领取，请先领取实体社保卡",
     "The physical card has not been collected yet; collect it first."},
    {"CARD_NOT_ACTIVATED", 422, "实体社保卡未激活，请先到卡面标识银行网点激活",
     "The physical card is not activated; activate it at a branch of the issuing bank first."},
    {"CARD_REPORTED_LOST", 422, "实体社保卡已挂失，电子社保卡不可使用，请解除挂失或补换卡",
     "The physical card is reported lost, so the e-card cannot be used; cancel the loss report "
     "or replace the card."},
    {"CARD_CANCELLED", 422, "实体社保卡已注销，电子社保卡不可使用",
     "The physical card is cancelled, so the e-card cannot be used."},
    {"CARD_LOCKED", 422, "实体社保卡已锁定，请到社保经办机构或发卡银行解锁",
     "The physical card is locked; have it unlocked at an HR office or the issuing bank."},
    {"CARD_REPLACED", 422, "实体社保卡已补换，请领取并激活新卡后重新申领电子社保卡",
     "The physical card was replaced; collect and activate the new card, then apply for the "
     "e-card again."},
    {"NAME_ID_MISMATCH", 422, "姓名与公民身份号码不一致",
     "The name does not match the citizen ID number."},
    {"FACE_LIVENESS_FAILED", 422, "活体检测未通过，可改用银行预留手机短信认证",
     "The liveness check failed; you can verify by SMS to the bank-reserved phone instead."},
    {"FACE_NO_REFERENCE_PHOTO", 422, "公安库和持卡库中没有您的照片，请改用银行预留手机短信认证",
     "No reference photo is on file; verify by SMS to the bank-reserved phone instead."},
    {"FACE_MISMATCH", 422, "人脸比对未通过，可改用银行预留手机短信认证",
     "The face did not match; you can verify by SMS to the bank-reserved phone instead."},
    {"FINANCIAL_NOT_ACTIVATED", 422, "社保卡金融功能未激活，请到发卡银行网点激活",
     "The card's financial function is not active; activate it at the issuing bank."},
    {"FOUR_FACTOR_MISMATCH", 422,
     "银行四要素认证未通过；如银行预留手机号码不正确，请到卡面标识银行的任一网点柜面修改",
     "The bank four-factor check failed; if the bank-reserved phone is wrong, change it at any "
     "branch of the issuing bank."},
    {"OTP_INVALID", 422, "短信验证码错误", "The SMS code is wrong."},
    {"OTP_EXPIRED", 422, "短信验证码已过期，请重新获取",
     "The SMS code has expired; request a new one."},
    {"VERIFICATION_EXPIRED", 422, "认证已过期或已使用，请重新认证",
     "The verification has expired or was already used; verify again."},
    {"VERIFICATION_INCOMPLETE", 422, "身份认证尚未完成",
     "The identity verification is not complete."},
    {"ATTEMPTS_EXCEEDED", 422, "尝试次数过多，请重新发起认证",
     "Too many attempts; start a new verification."},
    {"WEAK_PASSWORD", 422, "密码过于简单，请重新设置", "The password is too weak; choose another."},
    {"PASSWORD_INCORRECT", 422, "电子社保卡密码错误", "The e-card password is wrong."},
    {"PASSWORD_LOCKED", 422, "密码错误次数过多，已锁定，请稍后再试或重置密码",
     "Too many wrong passwords; the password is locked. Try later or reset it."},
    {"ECARD_EXISTS", 422, "您已在本渠道领取电子社保卡",
     "The e-card is already issued in this channel."},
    {"LEVEL_REQUIRED", 422, "该服务需要更高的签发级别",
     "This service needs a higher issuance level."},
    {"ECARD_SUSPENDED", 422, "电子社保卡暂不可用（实体卡已挂失或锁定）",
     "The e-card is suspended (the physical card is reported lost or locked)."},
    {"ECARD_UNLINKED", 422, "电子社保卡已解除关联，请重新申领",
     "The e-card is unlinked; apply again."},
    {"QR_INVALID", 422, "二维码无效", "The QR code is invalid."},
    {"QR_EXPIRED", 422, "二维码已过期，请刷新", "The QR code has expired; refresh it."},
    {"QR_USED", 422, "二维码已使用，请刷新", "The QR code was already used; refresh it."},
    {"QR_PURPOSE_MISMATCH", 422, "二维码用途不符", "The QR code is for another purpose."},
    {"INSUFFICIENT_FUNDS", 422, "余额不足", "Insufficient funds."},
    {"RISK_VELOCITY_LIMIT", 422, "今日结算次数已达上限", "Today's settlement limit is reached."},
    {"FAMILY_LIMIT", 422, "亲情账户人数已达上限（每人最多添加5名成员，每人最多被2人添加）",
     "The family account limit is reached (5 members a holder, 2 holders a member)."},
    {"FAMILY_CONSENT_REQUIRED", 422, "年满16周岁的成员须本人完成人脸或短信验证后方可添加",
     "A member aged 16 or over must consent by passing their own face or SMS verification."},
    {"REGION_NOT_COVERED", 422, "参保地尚未接入本平台医保结算，请咨询12333",
     "The insured region has no settlement policy on this platform; call 12333."},
    {"CROSS_REGION_FILING_REQUIRED", 422, "跨省异地就医门诊结算须先办理异地就医备案",
     "Outpatient care in another province needs a cross-region filing first."},
    {"RISK_STEP_UP_REQUIRED", 422,
     "为保障您的资金安全，请持卡人先在APP中完成本人确认（刷脸或短信验证）",
     "To keep the cardholder's money safe, the cardholder must first confirm it is them in the "
     "app (face or SMS check)."},
    {"RISK_DENIED", 422, "该操作存在风险，已被拒绝，请咨询12333",
     "This action was refused by risk control; call 12333."},
    {"RATE_LIMITED", 429, "请求过于频繁，请稍后再试", "Too many requests; retry later."},
    {"OTP_RESEND_TOO_SOON", 429, "验证码发送过于频繁，请稍后再试",
     "An SMS code was sent moments ago; wait before asking again."},
    {"OTP_DAILY_LIMIT", 429, "该手机号今日验证码发送次数已达上限",
     "This phone has reached today's limit of SMS codes."},
    {"FACE_SERVICE_UNAVAILABLE", 503, "人脸识别服务暂不可用，请改用银行预留手机短信认证",
     "Face verification is unavailable; verify by SMS to the bank-reserved phone instead."},
    {"UNAVAILABLE", 503, "服务暂不可用，请稍后再试", "The service is unavailable; retry later."},
    {"INTERNAL", 500, "系统繁忙，请稍后再试", "Something went wrong on our side; retry later."},
}};

}  // namespace

const ErrorInfo& error_info(ErrorCode code) { return kCatalogue[static_cast<std::size_t>(code)]; }

std::string_view error_code_name(ErrorCode code) { return error_info(code).code; }

std::optional<ErrorCode> error_code_from_name(std::string_view name) {
  for (int i = 0; i < kErrorCodeCount; ++i) {
    if (kCatalogue[static_cast<std::size_t>(i)].code == name) return static_cast<ErrorCode>(i);
  }
  return std::nullopt;
}

Error Error::invalid_field(std::string field_name, std::string internal_detail) {
  Error e(ErrorCode::kInvalidRequest, std::move(internal_detail));
  e.extras.field = std::move(field_name);
  return e;
}

Error Error::with_field(ErrorCode c, std::string field_name) {
  Error e(c);
  e.extras.field = std::move(field_name);
  return e;
}

}  // namespace essc
