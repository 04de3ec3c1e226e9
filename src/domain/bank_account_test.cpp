#include "domain/bank_account.hpp"

#include <gtest/gtest.h>

namespace essc::domain {
namespace {

TEST(Luhn, R_C3_KnownNumbers) {
  EXPECT_TRUE(luhn_valid("79927398713"));
  EXPECT_FALSE(luhn_valid("79927398710"));
  EXPECT_TRUE(luhn_valid("6222021234567890128"));
  EXPECT_FALSE(luhn_valid(""));
  EXPECT_FALSE(luhn_valid("7992739871a"));
}

TEST(BankAccountNo, R_C3_LengthAndCheckDigit) {
  EXPECT_TRUE(BankAccountNo::parse("6222021234567890128").ok());
  EXPECT_FALSE(BankAccountNo::parse("79927398713").ok());  // valid Luhn, too short
  auto wrong = BankAccountNo::parse("6222021234567890127");
  ASSERT_FALSE(wrong.ok());
  EXPECT_EQ(wrong.error().code, ErrorCode::kInvalidBankAccount);
  EXPECT_EQ(wrong.error().extras.field, "bank_account_no");
}

}  // namespace
}  // namespace essc::domain
