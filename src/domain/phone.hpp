// A mainland China mobile number (R-P2, R-C3): 11 ASCII digits, "1" then 3-9, e.g.
// "13800138000". No country code, spaces or dashes: the API takes the bare number.
//
// Invariant: a constructed Phone is always of that form.
#pragma once

#include <string>
#include <string_view>
#include <utility>

#include "common/result.hpp"

namespace essc::domain {

class Phone {
 public:
  // INVALID_PHONE naming `field_name` (a person's "phone", a card's "reserved_phone", …).
  static Result<Phone> parse(std::string_view text, std::string_view field_name = "phone");
  const std::string& str() const { return value_; }

  friend bool operator==(const Phone&, const Phone&) = default;

 private:
  explicit Phone(std::string value) : value_(std::move(value)) {}
  std::string value_;
};

}  // namespace essc::domain
