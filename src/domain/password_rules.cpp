#include "domain/password_rules.hpp"

#include <array>
#include <string>

#include "common/assert.hpp"
#include "domain/pin.hpp"  // IWYU pragma: keep (is_six_digits, asserted in debug builds)

namespace essc::domain {
namespace {

bool all_same(std::string_view p) { return p.find_first_not_of(p[0]) == std::string_view::npos; }

// Every neighbour differs by exactly `step`; digits cannot wrap since '9' + 1 is not a
// digit, which is what keeps 890123 out of the rule.
bool run_of_step(std::string_view p, int step) {
  for (std::size_t i = 1; i < p.size(); ++i) {
    if (p[i] - p[i - 1] != step) return false;
  }
  return true;
}

// REQUIRES: 0 <= value.
std::string two_digits(int value) {
  ESSC_ASSERT(value >= 0);
  return {static_cast<char>('0' + value / 10 % 10), static_cast<char>('0' + value % 10)};
}

bool is_birth_date(std::string_view p, const IdNumber& id) {
  const auto yy = two_digits(id.birth_year() % 100);
  const auto mm = two_digits(id.birth_month());
  const auto dd = two_digits(id.birth_day());
  const std::array<std::string, 3> forms{yy + mm + dd, mm + dd + yy, dd + mm + yy};
  for (const auto& form : forms) {
    if (p == form) return true;
  }
  return false;
}

bool is_id_suffix(std::string_view p, const IdNumber& id) {
  const std::string_view number = id.str();
  return p == number.substr(number.size() - p.size());
}

struct Message {
  std::string_view reason;
  std::string_view zh;
  std::string_view en;
};

constexpr std::array<Message, 5> kMessages{{
    {kRepeatedDigits, "密码不能为相同数字", "The password cannot be one digit repeated."},
    {kSequential, "密码不能为连续数字", "The password cannot be a run of consecutive digits."},
    {kBirthDate, "密码不能为出生日期", "The password cannot be your birth date."},
    {kIdSuffix, "密码不能为身份证号码后六位",
     "The password cannot be the last six characters of your ID number."},
    {kSameAsCardPin, "密码不能与实体社保卡密码相同",
     "The password cannot equal a password of the physical card."},
}};
constexpr Message kGeneric{"", "密码过于简单，请重新设置",
                           "The password is too weak; choose another."};

const Message& message_for(std::string_view reason) {
  for (const auto& m : kMessages) {
    if (m.reason == reason) return m;
  }
  return kGeneric;
}

}  // namespace

std::optional<std::string_view> weak_password_reason(std::string_view password,
                                                     const IdNumber& id) {
  ESSC_ASSERT(is_six_digits(password));
  if (all_same(password)) return kRepeatedDigits;
  if (run_of_step(password, 1) || run_of_step(password, -1)) return kSequential;
  if (is_birth_date(password, id)) return kBirthDate;
  if (is_id_suffix(password, id)) return kIdSuffix;
  return std::nullopt;
}

std::string_view weak_password_message_zh(std::string_view reason) {
  return message_for(reason).zh;
}
std::string_view weak_password_message_en(std::string_view reason) {
  return message_for(reason).en;
}

}  // namespace essc::domain
