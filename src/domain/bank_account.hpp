// A bank account number of the card's financial function (R-C3): 12 to 19 ASCII
// digits whose last digit is a valid Luhn (ISO/IEC 7812) check digit, as the bank
// cards of China UnionPay carry.
//
// Invariant: a constructed BankAccountNo is always of that form.
#pragma once

#include <string>
#include <string_view>
#include <utility>

#include "common/result.hpp"

namespace essc::domain {

// Whether `digits` is a non-empty string of ASCII digits passing the Luhn check;
// false for anything else (empty, or a non-digit anywhere).
bool luhn_valid(std::string_view digits);

class BankAccountNo {
 public:
  // INVALID_BANK_ACCOUNT (field bank_account_no): wrong length, a non-digit, or a
  // failing check digit. No spaces or dashes are stripped: the API takes plain digits.
  static Result<BankAccountNo> parse(std::string_view text);
  const std::string& str() const { return value_; }

  friend bool operator==(const BankAccountNo&, const BankAccountNo&) = default;

 private:
  explicit BankAccountNo(std::string value) : value_(std::move(value)) {}
  std::string value_;
};

}  // namespace essc::domain
