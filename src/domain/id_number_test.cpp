#include "domain/id_number.hpp"

#include <gtest/gtest.h>

#include <string>

namespace essc::domain {
namespace {

// A valid number with the given first 17 digits (the check character computed).
std::string with_check(const std::string& first17) {
  return first17 + id_number_check_character(first17);
}

TEST(IdNumber, R_P1_AcceptsValidNumberAndReadsItsParts) {
  // 11010519491231002X is the standard's own example.
  auto id = IdNumber::parse("11010519491231002X");
  ASSERT_TRUE(id.ok());
  EXPECT_EQ(id->str(), "11010519491231002X");
  EXPECT_EQ(id->birth_year(), 1949);
  EXPECT_EQ(id->birth_month(), 12);
  EXPECT_EQ(id->birth_day(), 31);
  EXPECT_EQ(id->region_prefix(), "110105");
}

TEST(IdNumber, R_P1_CheckCharacterFollowsIso7064Mod112) {
  EXPECT_EQ(id_number_check_character("11010519491231002"), 'X');
  EXPECT_EQ(id_number_check_character("33020219900307123"), '6');
  EXPECT_EQ(id_number_check_character("33020219900300009"), '1');  // weighted sum ≡ 0 (mod 11)
  EXPECT_EQ(id_number_check_character("33020219900300004"), '0');  // weighted sum ≡ 1 (mod 11)
}

TEST(IdNumber, R_P1_OnlyTheOneRightCheckCharacterIsAccepted) {
  const std::string first17 = "33020219900307123";
  int accepted = 0;
  for (char check : std::string_view("0123456789X")) {
    if (IdNumber::parse(first17 + check).ok()) {
      ++accepted;
      EXPECT_EQ(check, id_number_check_character(first17));
    }
  }
  EXPECT_EQ(accepted, 1);
}

TEST(IdNumber, R_P1_NormalisesLowercaseX) {
  auto id = IdNumber::parse("11010519491231002x");
  ASSERT_TRUE(id.ok());
  EXPECT_EQ(id->str(), "11010519491231002X");
}

TEST(IdNumber, R_P1_RejectsWrongCheckCharacter) {
  auto id = IdNumber::parse("110105194912310021");
  ASSERT_FALSE(id.ok());
  EXPECT_EQ(id.error().code, ErrorCode::kInvalidIdNumber);
  EXPECT_EQ(id.error().extras.field, "id_number");
}

TEST(IdNumber, R_P1_RejectsImpossibleBirthDates) {
  // Check characters are recomputed so only the date is wrong.
  for (std::string first17 : {"33020219990230123",   // 30 February
                              "33020220010229123",   // 29 February of a common year
                              "33020219000229123",   // 1900: divisible by 100, not a leap year
                              "33020219990431123",   // 31 April
                              "33020219991301123",   // month 13
                              "33020219990000123",   // month and day 0
                              "33020219990100123",   // day 0
                              "33020218991231123"})  // before 1900
  {
    const auto id = IdNumber::parse(with_check(first17));
    ASSERT_FALSE(id.ok()) << first17;
    EXPECT_EQ(id.error().code, ErrorCode::kInvalidIdNumber);
  }
}

TEST(IdNumber, R_P1_AcceptsLeapDaysAndTheEdgesOfTheRange) {
  for (std::string first17 : {"33020220000229123",  // 2000: divisible by 400, a leap year
                              "33020219960229123", "33020219000101123", "33020299991231123"}) {
    EXPECT_TRUE(IdNumber::parse(with_check(first17)).ok()) << first17;
  }
}

TEST(IdNumber, R_P1_RejectsMalformedText) {
  for (std::string_view text :
       {"", "1234", "11010519491231002", "11010519491231002XX", "1101051949123100AX",
        "X10105194912310021", "11010519491231002Y", " 11010519491231002X", "11010519491231002X ",
        "１１０１０５１９４９１２３１００２Ｘ"}) {
    const auto id = IdNumber::parse(text);
    ASSERT_FALSE(id.ok()) << text;
    EXPECT_EQ(id.error().code, ErrorCode::kInvalidIdNumber);
    EXPECT_EQ(id.error().extras.field, "id_number");
  }
  // An embedded NUL is not a digit.
  std::string with_nul = "11010519491231002X";
  with_nul[5] = '\0';
  EXPECT_FALSE(IdNumber::parse(with_nul).ok());
}

}  // namespace
}  // namespace essc::domain
