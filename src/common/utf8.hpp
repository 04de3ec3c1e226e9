// Strict UTF-8 decoding (no overlongs, no surrogates, nothing above U+10FFFF).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace essc {

// The code points of `text`, or nullopt when it is not valid UTF-8.
std::optional<std::vector<char32_t>> utf8_code_points(std::string_view text);
// The byte length of each character of valid UTF-8 `text`; empty when invalid.
std::vector<std::size_t> utf8_character_lengths(std::string_view text);

}  // namespace essc
