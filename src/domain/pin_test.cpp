#include "domain/pin.hpp"

#include <gtest/gtest.h>

namespace essc::domain {
namespace {

TEST(Pin, R_W1_R_C2_SixDigitsExactly) {
  EXPECT_TRUE(is_six_digits("000000"));
  EXPECT_TRUE(is_six_digits("258147"));
  for (std::string_view text :
       {"", "12345", "1234567", "12345a", " 12345", "１２３４５６", "-12345"}) {
    EXPECT_FALSE(is_six_digits(text)) << text;
  }
  EXPECT_FALSE(is_six_digits(std::string_view("12345\0", 6)));
}

TEST(Pin, R_W1_ParseNamesTheFieldItWasGiven) {
  EXPECT_EQ(*parse_pin("258147", "password"), "258147");
  auto pin = parse_pin("12345", "hr_pin");
  ASSERT_FALSE(pin.ok());
  EXPECT_EQ(pin.error().code, ErrorCode::kInvalidPasswordFormat);
  EXPECT_EQ(pin.error().extras.field, "hr_pin");
}

}  // namespace
}  // namespace essc::domain
