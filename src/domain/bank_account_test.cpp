#include "domain/bank_account.hpp"

#include <gtest/gtest.h>

#include <string>

namespace essc::domain {
namespace {

// `body` followed by the digit that makes it Luhn-valid.
std::string with_luhn_digit(const std::string& body) {
  for (char d = '0'; d <= '9'; ++d) {
    if (luhn_valid(body + d)) return body + d;
  }
  ADD_FAILURE() << "no check digit for " << body;
  return body;
}

TEST(Luhn, R_C3_KnownNumbers) {
  EXPECT_TRUE(luhn_valid("79927398713"));  // the textbook example
  EXPECT_FALSE(luhn_valid("79927398710"));
  EXPECT_TRUE(luhn_valid("6222021234567890128"));
  EXPECT_TRUE(luhn_valid("0"));
  EXPECT_TRUE(luhn_valid("18"));  // 1 doubled is 2, plus 8
  EXPECT_TRUE(luhn_valid("59"));  // 5 doubled is 10 → 1, plus 9
}

TEST(Luhn, R_C3_RejectsNonDigitsAndEmpty) {
  EXPECT_FALSE(luhn_valid(""));
  EXPECT_FALSE(luhn_valid("7992739871a"));
  EXPECT_FALSE(luhn_valid("7992 7398 713"));
  EXPECT_FALSE(luhn_valid("-79927398713"));
}

TEST(Luhn, R_C3_CatchesEverySingleDigitError) {
  const std::string valid = "6222021234567890128";
  for (std::size_t i = 0; i < valid.size(); ++i) {
    for (char d = '0'; d <= '9'; ++d) {
      if (d == valid[i]) continue;
      std::string changed = valid;
      changed[i] = d;
      EXPECT_FALSE(luhn_valid(changed)) << changed;
    }
  }
}

TEST(BankAccountNo, R_C3_AcceptsTwelveToNineteenValidDigits) {
  const auto twelve = with_luhn_digit("62220212345");
  const auto nineteen = with_luhn_digit("622202123456789012");
  ASSERT_EQ(twelve.size(), 12u);
  ASSERT_EQ(nineteen.size(), 19u);
  for (const auto& text : {twelve, nineteen}) {
    auto account = BankAccountNo::parse(text);
    ASSERT_TRUE(account.ok()) << text;
    EXPECT_EQ(account->str(), text);
  }
}

TEST(BankAccountNo, R_C3_RejectsWrongLengthNonDigitsAndBadCheckDigit) {
  for (const std::string& text : {std::string("79927398713"),              // valid Luhn, 11 digits
                                  with_luhn_digit("6222021234567890123"),  // valid Luhn, 20 digits
                                  std::string("6222021234567890127"),      // wrong check digit
                                  std::string("622202123456789012 "),      // a space
                                  std::string("6222-0212-3456-7890-128"), std::string("")}) {
    auto account = BankAccountNo::parse(text);
    ASSERT_FALSE(account.ok()) << text;
    EXPECT_EQ(account.error().code, ErrorCode::kInvalidBankAccount);
    EXPECT_EQ(account.error().extras.field, "bank_account_no");
  }
}

}  // namespace
}  // namespace essc::domain
