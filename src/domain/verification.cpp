#include "domain/verification.hpp"

#include "domain/enum_names.hpp"

namespace essc::domain {
namespace {

constexpr std::array<std::string_view, 6> kPurposes{
    "issue", "upgrade", "reset_password", "cancel_loss", "family_consent", "step_up"};

}  // namespace

std::string_view to_string(VerificationPurpose purpose) { return name_in(kPurposes, purpose); }
std::optional<VerificationPurpose> parse_verification_purpose(std::string_view text) {
  return parse_in<VerificationPurpose>(kPurposes, text);
}

}  // namespace essc::domain
