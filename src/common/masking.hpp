// Masking of personal data in answers to channels and institutions and in logs (R-S5,
// R-U3), by the conventions Chinese services use. Each result has as many characters as
// its input, with '*' for every hidden one.
#pragma once

#include <string>
#include <string_view>

namespace essc {

std::string mask_name(std::string_view utf8_name);      // keeps the last character: "*三"
std::string mask_id_number(std::string_view id_number);  // keeps the first 3 and last 4
std::string mask_phone(std::string_view phone);          // keeps the first 3 and last 4
std::string mask_bank_account(std::string_view account); // keeps the last 4
std::string mask_card_no(std::string_view card_no);      // keeps the first and last 2

}  // namespace essc
