// The e-card password's strength rules (R-W1, R-W2): a 6-digit password is refused
// when it can be guessed from the digits alone or from the person's ID number. Pure
// and deterministic; the comparison with the card's own PINs needs their hashes and
// happens in the service, which reports it as kSameAsCardPin.
#pragma once

#include <array>
#include <optional>
#include <string_view>

#include "domain/id_number.hpp"

namespace essc::domain {

// Reason codes, sent to the client in the WEAK_PASSWORD error's `reason`.
inline constexpr std::string_view kRepeatedDigits = "repeated_digits";
inline constexpr std::string_view kSequential = "sequential";
inline constexpr std::string_view kBirthDate = "birth_date";
inline constexpr std::string_view kIdSuffix = "id_suffix";
inline constexpr std::string_view kSameAsCardPin = "same_as_card_pin";  // checked by the service
// Every reason code in the order the rules are checked, for the pages' live rule list.
inline constexpr std::array<std::string_view, 5> kWeakPasswordReasons{
    kRepeatedDigits, kSequential, kBirthDate, kIdSuffix, kSameAsCardPin};

// The first rule `password` breaks, in this order, or nullopt when it breaks none:
//   repeated_digits  one digit six times: 000000 … 999999
//   sequential       a strict +1 or −1 run with no wrap-around: 012345 … 456789,
//                    987654 … 543210 (so 123456 and 654321, but not 890123)
//   birth_date       the birth date in the ID number (positions 7-14, YYYYMMDD) as
//                    YYMMDD, MMDDYY or DDMMYY; for 1949-12-31: 491231, 123149, 311249
//   id_suffix        the last six characters of the ID number (one ending in X can
//                    never match, since the password is digits)
// REQUIRES: is_six_digits(password).
std::optional<std::string_view> weak_password_reason(std::string_view password, const IdNumber& id);

// The human explanation of a reason code, for the client; a generic one for a code
// this file does not know.
std::string_view weak_password_message_zh(std::string_view reason);
std::string_view weak_password_message_en(std::string_view reason);

}  // namespace essc::domain
