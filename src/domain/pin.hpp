// Six-digit secrets: the card's HR/medical and financial PINs (R-C2) and the e-card
// password (R-W1).
#pragma once

#include <string>
#include <string_view>

#include "common/result.hpp"

namespace essc::domain {

bool is_six_digits(std::string_view text);
// INVALID_PASSWORD_FORMAT naming `field_name`.
Result<std::string> parse_pin(std::string_view text, std::string_view field_name);

}  // namespace essc::domain
