// The one catalogue of errors the platform can answer (API.md "Errors").
//
// Every expected failure in every layer is an Error carrying an ErrorCode; the HTTP
// layer alone turns it into a status and a JSON body. Messages for the client come
// from the catalogue; `detail` is internal and goes to the log only, never to a client.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace essc {

enum class ErrorCode : std::uint8_t {
  // 400
  kInvalidRequest,
  kInvalidIdNumber,
  kInvalidCardNo,
  kInvalidPhone,
  kInvalidBankAccount,
  kInvalidAmount,
  kInvalidPasswordFormat,
  // 401
  kUnauthenticated,
  kSignatureExpired,
  kNonceReused,
  kSessionInvalid,
  // 403
  kForbidden,
  kClientSuspended,
  // 404
  kNotFound,
  // 405
  kMethodNotAllowed,
  // 409
  kConflict,
  kIdempotencyMismatch,
  kInvalidStateTransition,
  kAlreadyRefunded,
  // 413
  kPayloadTooLarge,
  // 422
  kCardNotFound,
  kCardNotCollected,
  kCardNotActivated,
  kCardReportedLost,
  kCardCancelled,
  kCardLocked,
  kCardReplaced,
  kNameIdMismatch,
  kFaceLivenessFailed,
  kFaceNoReferencePhoto,
  kFaceMismatch,
  kFinancialNotActivated,
  kFourFactorMismatch,
  kOtpInvalid,
  kOtpExpired,
  kVerificationExpired,
  kVerificationIncomplete,
  kAttemptsExceeded,
  kWeakPassword,
  kPasswordIncorrect,
  kPasswordLocked,
  kEcardExists,
  kLevelRequired,
  kEcardSuspended,
  kEcardUnlinked,
  kQrInvalid,
  kQrExpired,
  kQrUsed,
  kQrPurposeMismatch,
  kInsufficientFunds,
  kRiskVelocityLimit,
  kFamilyLimit,
  kFamilyConsentRequired,
  kRegionNotCovered,
  kCrossRegionFilingRequired,
  kRiskStepUpRequired,
  kRiskDenied,
  // 429
  kRateLimited,
  kOtpResendTooSoon,
  kOtpDailyLimit,
  // 503
  kFaceServiceUnavailable,
  kUnavailable,
  // 500: never for input a client sent; the body says nothing about internals.
  kInternal,
};

struct ErrorInfo {
  std::string_view code;  // the API.md spelling, e.g. "CARD_NOT_ACTIVATED"
  int http_status;
  std::string_view message_zh;
  std::string_view message_en;
};

const ErrorInfo& error_info(ErrorCode code);
// Every code of the catalogue, in declaration order (for tests and documents).
std::string_view error_code_name(ErrorCode code);
std::optional<ErrorCode> error_code_from_name(std::string_view name);
inline constexpr int kErrorCodeCount = static_cast<int>(ErrorCode::kInternal) + 1;

// What `retry_after` says for a wait of `wait_ms`: whole seconds, rounded up, so that a
// client that waits as told is never early.
constexpr std::int64_t retry_after_seconds(std::int64_t wait_ms) { return (wait_ms + 999) / 1000; }

// The extra fields API.md allows on an error body; each is sent only when set.
struct ErrorExtras {
  std::optional<std::string> field;
  std::optional<std::int64_t> tries_left;
  std::optional<std::string> unlock_at;
  std::optional<std::int64_t> retry_after;  // seconds (retry_after_seconds)
  std::optional<std::int64_t> level_required;
  std::optional<std::string> fallback;
  std::optional<std::string> reason;
  std::optional<std::string> risk_id;  // RISK_STEP_UP_REQUIRED, RISK_DENIED
  std::vector<std::string> methods;    // the checks that clear a step-up
};

struct Error {
  ErrorCode code = ErrorCode::kInternal;
  ErrorExtras extras;
  std::string detail;  // internal only: logs, never a response

  Error() = default;
  explicit Error(ErrorCode c, std::string internal_detail = {})
      : code(c), detail(std::move(internal_detail)) {}

  // 400 INVALID_REQUEST naming the offending input.
  static Error invalid_field(std::string field_name, std::string internal_detail = {});
  // Any other code naming the offending input (INVALID_ID_NUMBER on `id_number`, …).
  static Error with_field(ErrorCode c, std::string field_name);

  const ErrorInfo& info() const { return error_info(code); }
};

}  // namespace essc
