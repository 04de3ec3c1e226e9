#include "domain/id_number.hpp"

#include <gtest/gtest.h>

namespace essc::domain {
namespace {

TEST(IdNumber, R_P1_AcceptsValidNumberAndReadsBirthDate) {
  // 11010519491231002X is the standard's own example.
  auto id = IdNumber::parse("11010519491231002X");
  ASSERT_TRUE(id.ok());
  EXPECT_EQ(id->birth_year(), 1949);
  EXPECT_EQ(id->birth_month(), 12);
  EXPECT_EQ(id->birth_day(), 31);
  EXPECT_EQ(id->region_prefix(), "110105");
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
  for (std::string first17 : {"33020219990230123", "33020220010229123", "33020218991231123",
                               "33020219991301123", "33020219990000123"}) {
    const auto id = first17 + id_number_check_character(first17);
    EXPECT_FALSE(IdNumber::parse(id).ok()) << id;
  }
  const std::string leap = "33020220000229123";
  EXPECT_TRUE(IdNumber::parse(leap + id_number_check_character(leap)).ok());
}

TEST(IdNumber, R_P1_RejectsMalformedText) {
  for (std::string_view text : {"", "1234", "11010519491231002XX", "1101051949123100AX", "11010519491231002Y",
                                "１１０１０５１９４９１２３１００２Ｘ"}) {
    EXPECT_FALSE(IdNumber::parse(text).ok()) << text;
  }
}

}  // namespace
}  // namespace essc::domain
