#include "domain/id_number.hpp"

#include <chrono>

namespace essc::domain {
namespace {

constexpr int kWeights[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
constexpr char kCheckCharacters[] = "10X98765432";
// GB 11643 numbers were first issued to people alive in 1984; 1900 bounds typos.
constexpr int kBirthYearMin = 1900;

int digits(std::string_view s, std::size_t at, std::size_t count) {
  int value = 0;
  for (std::size_t i = at; i < at + count; ++i) value = value * 10 + (s[i] - '0');
  return value;
}

}  // namespace

char id_number_check_character(std::string_view first17) {
  int sum = 0;
  for (std::size_t i = 0; i < 17; ++i) sum += (first17[i] - '0') * kWeights[i];
  return kCheckCharacters[sum % 11];
}

Result<IdNumber> IdNumber::parse(std::string_view text) {
  const auto invalid = [] { return Error::with_field(ErrorCode::kInvalidIdNumber, "id_number"); };
  if (text.size() != 18) return invalid();
  std::string value(text);
  if (value[17] == 'x') value[17] = 'X';
  for (std::size_t i = 0; i < 17; ++i) {
    if (value[i] < '0' || value[i] > '9') return invalid();
  }
  if (id_number_check_character(value) != value[17]) return invalid();
  const int year = digits(value, 6, 4);
  const auto date = std::chrono::year_month_day{std::chrono::year{year},
                                                std::chrono::month{static_cast<unsigned>(digits(value, 10, 2))},
                                                std::chrono::day{static_cast<unsigned>(digits(value, 12, 2))}};
  if (year < kBirthYearMin || !date.ok()) return invalid();
  return IdNumber(std::move(value));
}

int IdNumber::birth_year() const { return digits(value_, 6, 4); }
int IdNumber::birth_month() const { return digits(value_, 10, 2); }
int IdNumber::birth_day() const { return digits(value_, 12, 2); }

}  // namespace essc::domain
