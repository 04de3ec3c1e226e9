// Masking of personal data in answers to channels and institutions and in logs (R-S5,
// R-U3), by the conventions Chinese services use: "*三", "330***********123X",
// "138****5678", "***************0128", "A******78".
//
// Invariants: the result has as many characters (code points) as the input, each
// hidden one replaced by one '*', and is valid UTF-8; a name alone is shortened to at
// most kMaskedNameStarsMax stars and its last character ("***提" for 阿依古丽·买买提). A value too
// short to hide at least kMaskedCharactersMin characters between the kept ends is hidden entirely,
// and so is text that is not valid UTF-8 (one '*' per byte, since it has no
// characters to count); nothing here ever reveals more than the conventions above.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace essc {

// The shortest valid value masked by its ends, an 11-digit phone, hides 4. A malformed
// shorter value (a truncated ID number, a phone typed short) would otherwise be shown
// almost whole: 7 of 8 characters kept leaves 10 guesses.
inline constexpr std::size_t kMaskedCharactersMin = 4;

// A masked name reads as a name, not as a row of stars: a 27-character name shows as
// "***X" rather than 26 stars, and how long it is stays hidden as well.
inline constexpr std::size_t kMaskedNameStarsMax = 3;

std::string mask_name(std::string_view utf8_name);  // keeps the last character: "*三", "***娜"
std::string mask_id_number(std::string_view id_number);   // keeps the first 3 and the last 4
std::string mask_phone(std::string_view phone);           // keeps the first 3 and the last 4
std::string mask_bank_account(std::string_view account);  // keeps the last 4
std::string mask_card_no(std::string_view card_no);       // keeps the first and the last 2

}  // namespace essc
