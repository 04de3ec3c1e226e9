// A person's name as registered (R-P2): ASCII spaces trimmed from both ends, then valid
// UTF-8 of 1 to 30 code points with no control characters. The middle dot of minority
// names (U+00B7, as in 阿依古丽·买买提) and inner spaces of Latin names are ordinary
// characters.
#pragma once

#include <string>
#include <string_view>

#include "common/result.hpp"

namespace essc::domain {

// Long enough for transliterated minority names with their middle dots; bounded so a
// name field cannot carry anything else.
inline constexpr std::size_t kPersonNameCharactersMax = 30;

// The trimmed name, or INVALID_REQUEST (field name).
Result<std::string> parse_person_name(std::string_view text);

}  // namespace essc::domain
