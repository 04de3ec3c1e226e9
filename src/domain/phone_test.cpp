#include "domain/phone.hpp"

#include <gtest/gtest.h>

#include <string>

namespace essc::domain {
namespace {

TEST(Phone, R_P2_AcceptsMobileNumbersFrom13To19) {
  for (char second = '3'; second <= '9'; ++second) {
    const std::string text = std::string("1") + second + "012345678";
    auto phone = Phone::parse(text);
    ASSERT_TRUE(phone.ok()) << text;
    EXPECT_EQ(phone->str(), text);
  }
}

TEST(Phone, R_P2_RejectsOtherNumbers) {
  for (std::string_view text : {"", "1380013800", "138001380001", "10012345678", "12012345678",
                                "23800138000", "1380013800a", "+8613800138000", "138 0013 8000",
                                "138-0013-8000", "１３８００１３８０００"}) {
    auto phone = Phone::parse(text);
    ASSERT_FALSE(phone.ok()) << text;
    EXPECT_EQ(phone.error().code, ErrorCode::kInvalidPhone);
    EXPECT_EQ(phone.error().extras.field, "phone");
  }
}

TEST(Phone, R_C3_NamesTheFieldItWasGiven) {
  auto phone = Phone::parse("12345", "reserved_phone");
  ASSERT_FALSE(phone.ok());
  EXPECT_EQ(phone.error().code, ErrorCode::kInvalidPhone);
  EXPECT_EQ(phone.error().extras.field, "reserved_phone");
}

}  // namespace
}  // namespace essc::domain
