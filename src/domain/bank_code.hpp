// The code of a card's issuing bank (e.g. "ICBC", "NBCB"): 2 to 12 of [A-Z0-9].
#pragma once

#include <string>
#include <string_view>

#include "common/result.hpp"

namespace essc::domain {

// Upper-cases the input; INVALID_REQUEST naming `field_name` otherwise.
Result<std::string> parse_bank_code(std::string_view text, std::string_view field_name = "bank_code");

}  // namespace essc::domain
