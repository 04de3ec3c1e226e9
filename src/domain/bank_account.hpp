// A bank account number of the card's financial function (R-C3): 12 to 19 digits with a
// valid Luhn check digit, as bank cards in China carry.
#pragma once

#include <string>
#include <string_view>

#include "common/result.hpp"

namespace essc::domain {

// REQUIRES: only ASCII digits; false for an empty string.
bool luhn_valid(std::string_view digits);

class BankAccountNo {
 public:
  // INVALID_BANK_ACCOUNT (field bank_account_no).
  static Result<BankAccountNo> parse(std::string_view text);
  const std::string& str() const { return value_; }

 private:
  explicit BankAccountNo(std::string value) : value_(std::move(value)) {}
  std::string value_;
};

}  // namespace essc::domain
