// A person's name as registered (R-P2): trimmed, valid UTF-8, 1 to 30 characters, no
// control characters. The middle dot of minority names (U+00B7) is an ordinary character.
#pragma once

#include <string>
#include <string_view>

#include "common/result.hpp"

namespace essc::domain {

// INVALID_REQUEST (field name).
Result<std::string> parse_person_name(std::string_view text);

}  // namespace essc::domain
