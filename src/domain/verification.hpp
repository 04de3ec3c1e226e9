// A verification in progress (R-E3, R-E4, R-W3, R-F2): who it is for, what it is for, and
// the attempts spent on it (R-E6, R-S3).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace essc::domain {

enum class VerificationPurpose {
  kIssue,
  kUpgrade,
  kResetPassword,
  kCancelLoss,
  kFamilyConsent,
  kStepUp,  // R-K1: a fresh check a risk decision asked for
};

// "issue" | "upgrade" | "reset_password" | "cancel_loss" | "family_consent" | "step_up".
std::string_view to_string(VerificationPurpose purpose);
std::optional<VerificationPurpose> parse_verification_purpose(std::string_view text);

struct Verification {
  std::string verification_id;
  std::string client_id;
  VerificationPurpose purpose = VerificationPurpose::kIssue;
  std::int64_t person_id = 0;
  std::string card_no;
  std::optional<std::string> binding_id;
  std::optional<std::string> risk_id;          // kStepUp: the decision it answers
  std::optional<std::int64_t> verified_level;  // 1 after face, 2 after SMS (R-E3, R-E4)
  std::int64_t face_attempts = 0;
  std::int64_t factor_attempts = 0;
  std::optional<std::string> otp_hash;
  std::optional<std::int64_t> otp_sent_at_ms;
  std::optional<std::int64_t> otp_expires_at_ms;
  std::int64_t otp_attempts = 0;
  bool consumed = false;
  std::int64_t expires_at_ms = 0;
  std::int64_t created_at_ms = 0;
};

}  // namespace essc::domain
