// Six-digit secrets: the card's HR/medical and financial function passwords (R-C2) and
// the e-card password (R-W1). Only the format is checked here; strength is
// password_rules.hpp, and storage is hashes only (R-W5).
#pragma once

#include <string>
#include <string_view>

#include "common/result.hpp"

namespace essc::domain {

// Exactly six ASCII digits.
bool is_six_digits(std::string_view text);

// The PIN unchanged, or INVALID_PASSWORD_FORMAT naming `field_name`.
Result<std::string> parse_pin(std::string_view text, std::string_view field_name);

}  // namespace essc::domain
