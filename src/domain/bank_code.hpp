// The code of a card's issuing bank (发卡银行), e.g. "ICBC", "NBCB": 2 to 12 characters of
// [A-Z0-9]. The list of banks is configuration, not domain knowledge, so only the
// shape is checked here.
#pragma once

#include <string>
#include <string_view>

#include "common/result.hpp"

namespace essc::domain {

// The code upper-cased, or INVALID_REQUEST naming `field_name`.
Result<std::string> parse_bank_code(std::string_view text, std::string_view field_name = "bank_code");

}  // namespace essc::domain
