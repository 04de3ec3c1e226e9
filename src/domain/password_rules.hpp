// The e-card password's strength rules (R-W1, R-W2). A 6-digit password is refused when
// it can be guessed from the person or from the digits alone. The comparison with the
// card's own PINs needs their hashes and happens in the service.
#pragma once

#include <optional>
#include <string_view>

#include "domain/id_number.hpp"

namespace essc::domain {

// Reason codes, in the order they are checked:
//   "repeated_digits"  one digit six times (000000 … 999999)
//   "sequential"       a strict +1 or −1 run (123456, 654321; no wrap-around)
//   "birth_date"       the birth date as YYMMDD, MMDDYY or DDMMYY
//   "id_suffix"        the last six characters of the ID number
// REQUIRES: is_six_digits(password).
std::optional<std::string_view> weak_password_reason(std::string_view password, const IdNumber& id);

// The reason why a password equal to a card PIN is refused (checked by the service).
inline constexpr std::string_view kSameAsCardPin = "same_as_card_pin";

std::string_view weak_password_message_zh(std::string_view reason);
std::string_view weak_password_message_en(std::string_view reason);

}  // namespace essc::domain
