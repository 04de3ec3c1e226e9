#include "domain/password_rules.hpp"

#include <string>

namespace essc::domain {
namespace {

bool all_same(std::string_view p) { return p.find_first_not_of(p[0]) == std::string_view::npos; }

bool run_of_step(std::string_view p, int step) {
  for (std::size_t i = 1; i < p.size(); ++i) {
    if (p[i] - p[i - 1] != step) return false;
  }
  return true;
}

std::string two_digits(int value) {
  return {static_cast<char>('0' + value / 10 % 10), static_cast<char>('0' + value % 10)};
}

}  // namespace

std::optional<std::string_view> weak_password_reason(std::string_view password, const IdNumber& id) {
  if (all_same(password)) return "repeated_digits";
  if (run_of_step(password, 1) || run_of_step(password, -1)) return "sequential";
  const auto yy = two_digits(id.birth_year()), mm = two_digits(id.birth_month()), dd = two_digits(id.birth_day());
  for (const auto& date : {yy + mm + dd, mm + dd + yy, dd + mm + yy}) {
    if (password == date) return "birth_date";
  }
  if (password == std::string_view(id.str()).substr(12)) return "id_suffix";
  return std::nullopt;
}

std::string_view weak_password_message_zh(std::string_view reason) {
  if (reason == "repeated_digits") return "密码不能为相同数字";
  if (reason == "sequential") return "密码不能为连续数字";
  if (reason == "birth_date") return "密码不能为出生日期";
  if (reason == "id_suffix") return "密码不能为身份证号码后六位";
  if (reason == kSameAsCardPin) return "密码不能与实体社保卡密码相同";
  return "密码过于简单";
}

std::string_view weak_password_message_en(std::string_view reason) {
  if (reason == "repeated_digits") return "The password cannot be one digit repeated.";
  if (reason == "sequential") return "The password cannot be a run of consecutive digits.";
  if (reason == "birth_date") return "The password cannot be your birth date.";
  if (reason == "id_suffix") return "The password cannot be the last six characters of your ID number.";
  if (reason == kSameAsCardPin) return "The password cannot equal a password of the physical card.";
  return "The password is too weak.";
}

}  // namespace essc::domain
