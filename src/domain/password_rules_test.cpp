#include "domain/password_rules.hpp"

#include <gtest/gtest.h>

namespace essc::domain {
namespace {

IdNumber id() { return *IdNumber::parse("11010519491231002X"); }

TEST(PasswordRules, R_W2_RefusesRepeatedDigits) {
  EXPECT_EQ(weak_password_reason("000000", id()), "repeated_digits");
  EXPECT_EQ(weak_password_reason("777777", id()), "repeated_digits");
}

TEST(PasswordRules, R_W2_RefusesAscendingAndDescendingRuns) {
  EXPECT_EQ(weak_password_reason("123456", id()), "sequential");
  EXPECT_EQ(weak_password_reason("654321", id()), "sequential");
  EXPECT_EQ(weak_password_reason("456789", id()), "sequential");
  EXPECT_EQ(weak_password_reason("890123", id()), std::nullopt);  // no wrap-around
}

TEST(PasswordRules, R_W2_RefusesTheBirthDateInTheIdNumber) {
  EXPECT_EQ(weak_password_reason("491231", id()), "birth_date");
  EXPECT_EQ(weak_password_reason("123149", id()), "birth_date");
  EXPECT_EQ(weak_password_reason("311249", id()), "birth_date");
}

TEST(PasswordRules, R_W2_RefusesTheIdSuffix) {
  auto with_digits = IdNumber::parse("330202199003071236");
  ASSERT_TRUE(with_digits.ok());
  EXPECT_EQ(weak_password_reason("071236", *with_digits), "id_suffix");
  // An ID ending in X can never equal a digit password.
  EXPECT_EQ(weak_password_reason("310029", id()), std::nullopt);
}

TEST(PasswordRules, R_W2_AcceptsAnOrdinaryPassword) {
  EXPECT_EQ(weak_password_reason("258147", id()), std::nullopt);
  EXPECT_FALSE(weak_password_message_zh("sequential").empty());
  EXPECT_FALSE(weak_password_message_en(kSameAsCardPin).empty());
}

}  // namespace
}  // namespace essc::domain
