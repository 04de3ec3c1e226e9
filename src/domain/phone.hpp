// A mainland China mobile number: 11 digits starting 13-19 (R-P2, R-C3).
#pragma once

#include <string>
#include <string_view>

#include "common/result.hpp"

namespace essc::domain {

class Phone {
 public:
  // INVALID_PHONE naming `field_name`.
  static Result<Phone> parse(std::string_view text, std::string_view field_name = "phone");
  const std::string& str() const { return value_; }

 private:
  explicit Phone(std::string value) : value_(std::move(value)) {}
  std::string value_;
};

}  // namespace essc::domain
