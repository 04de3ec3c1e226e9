#include "domain/id_number.hpp"

#include <array>
#include <chrono>

namespace essc::domain {
namespace {

// ISO 7064 MOD 11-2 as GB 11643 states it: weight i is 2^(17-i) mod 11, and the check
// character is indexed by the weighted sum mod 11.
constexpr std::array<int, 17> kWeights{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
constexpr std::string_view kCheckCharacters = "10X98765432";
// Nobody born before 1900 holds a card any more; a year before it is a typo, and the
// bound keeps birth years in the range the password rules (R-W2) format as YY.
constexpr int kBirthYearMin = 1900;
constexpr std::size_t kLength = 18;

bool is_digit(char ch) { return ch >= '0' && ch <= '9'; }

// REQUIRES: s[at, at + count) are ASCII digits.
int digits(std::string_view s, std::size_t at, std::size_t count) {
  int value = 0;
  for (std::size_t i = at; i < at + count; ++i) {
    ESSC_ASSERT(i < s.size() && is_digit(s[i]));
    value = value * 10 + (s[i] - '0');
  }
  return value;
}

bool is_real_date(int year, int month, int day) {
  // std::chrono::year_month_day knows the Gregorian leap rule (1900 no, 2000 yes).
  const std::chrono::year_month_day date{std::chrono::year{year},
                                         std::chrono::month{static_cast<unsigned>(month)},
                                         std::chrono::day{static_cast<unsigned>(day)}};
  return year >= kBirthYearMin && date.ok();
}

}  // namespace

char id_number_check_character(std::string_view first17) {
  ESSC_ASSERT(first17.size() >= 17);
  int sum = 0;
  for (std::size_t i = 0; i < kWeights.size(); ++i) sum += (first17[i] - '0') * kWeights[i];
  return kCheckCharacters[static_cast<std::size_t>(sum % 11)];
}

Result<IdNumber> IdNumber::parse(std::string_view text) {
  const auto invalid = [] { return Error::with_field(ErrorCode::kInvalidIdNumber, "id_number"); };
  if (text.size() != kLength) return invalid();
  std::string value(text);
  for (std::size_t i = 0; i < kLength - 1; ++i) {
    if (!is_digit(value[i])) return invalid();
  }
  if (value[kLength - 1] == 'x') value[kLength - 1] = 'X';
  if (id_number_check_character(value) != value[kLength - 1]) return invalid();
  if (!is_real_date(digits(value, 6, 4), digits(value, 10, 2), digits(value, 12, 2)))
    return invalid();
  return IdNumber(std::move(value));
}

int IdNumber::birth_year() const { return digits(value_, 6, 4); }
int IdNumber::birth_month() const { return digits(value_, 10, 2); }
int IdNumber::birth_day() const { return digits(value_, 12, 2); }

}  // namespace essc::domain
