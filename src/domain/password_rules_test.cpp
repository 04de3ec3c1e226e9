#include "domain/password_rules.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <regex>
#include <set>
#include <string>

namespace essc::domain {
namespace {

// Born 1949-12-31; ends in X.
IdNumber id() { return *IdNumber::parse("11010519491231002X"); }

IdNumber id_from(const std::string& first17) {
  return *IdNumber::parse(first17 + id_number_check_character(first17));
}

TEST(PasswordRules, R_W2_RefusesEveryRepeatedDigit) {
  for (char d = '0'; d <= '9'; ++d)
    EXPECT_EQ(weak_password_reason(std::string(6, d), id()), kRepeatedDigits) << d;
}

TEST(PasswordRules, R_W2_RefusesEveryAscendingAndDescendingRun) {
  for (char first = '0'; first <= '4'; ++first) {
    std::string up, down;
    for (int i = 0; i < 6; ++i) {
      up += static_cast<char>(first + i);
      down += static_cast<char>('9' - (first - '0') - i);
    }
    EXPECT_EQ(weak_password_reason(up, id()), kSequential) << up;
    EXPECT_EQ(weak_password_reason(down, id()), kSequential) << down;
  }
}

TEST(PasswordRules, R_W2_RunsDoNotWrapOrSkip) {
  for (std::string_view p :
       {"890123", "901234", "109876", "123457", "135790", "112233", "123321"}) {
    EXPECT_EQ(weak_password_reason(p, id()), std::nullopt) << p;
  }
}

TEST(PasswordRules, R_W2_RefusesTheBirthDateInTheIdNumber) {
  EXPECT_EQ(weak_password_reason("491231", id()), kBirthDate);    // YYMMDD
  EXPECT_EQ(weak_password_reason("123149", id()), kBirthDate);    // MMDDYY
  EXPECT_EQ(weak_password_reason("311249", id()), kBirthDate);    // DDMMYY
  EXPECT_EQ(weak_password_reason("194912", id()), std::nullopt);  // YYYYMM is not on the list
}

TEST(PasswordRules, R_W2_BirthDateKeepsLeadingZerosAndCenturies) {
  const auto born_2005 = id_from("33020220050102123");  // 2005-01-02
  EXPECT_EQ(weak_password_reason("050102", born_2005), kBirthDate);
  EXPECT_EQ(weak_password_reason("010205", born_2005), kBirthDate);
  EXPECT_EQ(weak_password_reason("020105", born_2005), kBirthDate);
  EXPECT_EQ(weak_password_reason("200501", born_2005), std::nullopt);
}

TEST(PasswordRules, R_W2_RefusesTheIdSuffix) {
  const auto with_digits = id_from("33020219900307123");
  ASSERT_EQ(with_digits.str(), "330202199003071236");
  EXPECT_EQ(weak_password_reason("071236", with_digits), kIdSuffix);
  // An ID ending in X can never equal a digit password.
  EXPECT_EQ(weak_password_reason("310029", id()), std::nullopt);
}

TEST(PasswordRules, R_W2_ReportsTheFirstRuleInTheDocumentedOrder) {
  // Born 2011-11-11: 111111 is both repeated digits and the birth date.
  EXPECT_EQ(weak_password_reason("111111", id_from("33020220111111123")), kRepeatedDigits);
  // Born 1945-01-23: 012345 is both a run and the birth date as MMDDYY.
  EXPECT_EQ(weak_password_reason("012345", id_from("33020219450123123")), kSequential);
  // Born 1990-01-01 and ending in 010190: both the birth date (DDMMYY) and the suffix.
  const auto both = id_from("33021819900101019");
  ASSERT_EQ(both.str().substr(12), "010190");
  EXPECT_EQ(weak_password_reason("010190", both), kBirthDate);
}

TEST(PasswordRules, R_W2_AcceptsAnOrdinaryPassword) {
  for (std::string_view p : {"258147", "907153", "620381"}) {
    EXPECT_EQ(weak_password_reason(p, id()), std::nullopt) << p;
  }
}

TEST(PasswordRules, R_W2_EveryReasonHasItsOwnMessageInBothLanguages) {
  std::set<std::string_view> zh, en;
  for (auto reason : {kRepeatedDigits, kSequential, kBirthDate, kIdSuffix, kSameAsCardPin}) {
    EXPECT_FALSE(weak_password_message_zh(reason).empty()) << reason;
    EXPECT_FALSE(weak_password_message_en(reason).empty()) << reason;
    zh.insert(weak_password_message_zh(reason));
    en.insert(weak_password_message_en(reason));
  }
  EXPECT_EQ(zh.size(), 5u);
  EXPECT_EQ(en.size(), 5u);
  EXPECT_FALSE(weak_password_message_en("no_such_reason").empty());
  EXPECT_EQ(zh.count(weak_password_message_zh("no_such_reason")), 0u);
}

// tests/rules/password_cases.json holds one case a line; the page's checks run the same
// file (tests/web/password_rules.test.js), so the two cannot drift apart.
TEST(PasswordRules, R_W2_SharedCasesAgreeWithThePages) {
  std::ifstream file(ESSC_RULES_DIR "/password_cases.json");
  ASSERT_TRUE(file) << ESSC_RULES_DIR;
  const std::regex kCase(
      R"re("password": "(\d{6})", "id_number": "([0-9X]{18})", "reason": (null|"(\w+)"))re");
  std::string line;
  int cases = 0;
  while (std::getline(file, line)) {
    std::smatch m;
    if (!std::regex_search(line, m, kCase)) continue;
    ++cases;
    const auto reason = weak_password_reason(m[1].str(), *IdNumber::parse(m[2].str()));
    if (m[3] == "null") {
      EXPECT_FALSE(reason) << line;
    } else {
      EXPECT_EQ(reason, m[4].str()) << line;
    }
  }
  EXPECT_GE(cases, 20);
}

}  // namespace
}  // namespace essc::domain
