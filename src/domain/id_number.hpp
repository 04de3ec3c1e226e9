// A citizen ID number (公民身份号码, GB 11643-1999), R-P1: 17 digits and a check
// character (0-9 or X) under ISO 7064 MOD 11-2, with a real birth date at positions 7-14.
//
// Invariant: a constructed IdNumber is always valid and upper-case.
#pragma once

#include <string>
#include <string_view>

#include "common/result.hpp"

namespace essc::domain {

class IdNumber {
 public:
  // INVALID_ID_NUMBER (field id_number) for anything else; a lowercase x is accepted.
  static Result<IdNumber> parse(std::string_view text);

  const std::string& str() const { return value_; }
  int birth_year() const;
  int birth_month() const;
  int birth_day() const;
  std::string_view region_prefix() const { return std::string_view(value_).substr(0, 6); }

 private:
  explicit IdNumber(std::string value) : value_(std::move(value)) {}
  std::string value_;
};

// The check character for the first 17 digits (REQUIRES: 17 ASCII digits).
char id_number_check_character(std::string_view first17);

}  // namespace essc::domain
