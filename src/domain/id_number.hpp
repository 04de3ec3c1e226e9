// A citizen ID number (公民身份号码, GB 11643-1999), R-P1: 17 digits then a check
// character (0-9 or X) under ISO 7064 MOD 11-2, with a real birth date YYYYMMDD at
// positions 7-14 (1-based) whose year is at least 1900.
//
// Invariants: a constructed IdNumber is always valid, 18 ASCII characters, and its
// check character is upper-case ('x' is accepted by parse and stored as 'X').
// The domain has no clock, so a birth date in the future is not refused here.
#pragma once

#include <string>
#include <string_view>
#include <utility>

#include "common/result.hpp"

namespace essc::domain {

class IdNumber {
 public:
  // INVALID_ID_NUMBER (field id_number) for anything but a valid number. Checked in
  // this order: length, 17 digits, check character, birth date.
  static Result<IdNumber> parse(std::string_view text);

  const std::string& str() const { return value_; }
  int birth_year() const;   // 1900…9999
  int birth_month() const;  // 1…12
  int birth_day() const;    // 1…31, a real day of that month
  // The 6-digit region code of the place the number was issued (first 6 characters).
  std::string_view region_prefix() const { return std::string_view(value_).substr(0, 6); }

  friend bool operator==(const IdNumber&, const IdNumber&) = default;

 private:
  explicit IdNumber(std::string value) : value_(std::move(value)) {}
  std::string value_;
};

// The check character for the first 17 digits (tests and sandboxes use it to make
// valid numbers). REQUIRES: `first17` is at least 17 ASCII digits; only 17 are read.
char id_number_check_character(std::string_view first17);

}  // namespace essc::domain
