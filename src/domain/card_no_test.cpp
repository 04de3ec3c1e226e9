#include "domain/card_no.hpp"

#include <gtest/gtest.h>

#include <random>

namespace essc::domain {
namespace {

TEST(CardNo, R_C2_AcceptsLetterAndEightDigits) {
  auto card = CardNo::parse("b12345678");
  ASSERT_TRUE(card.ok());
  EXPECT_EQ(card->str(), "B12345678");
}

TEST(CardNo, R_C2_RejectsOtherShapes) {
  for (std::string_view text : {"", "B1234567", "B123456789", "112345678", "BB2345678", "B1234567X"}) {
    auto card = CardNo::parse(text);
    ASSERT_FALSE(card.ok()) << text;
    EXPECT_EQ(card.error().code, ErrorCode::kInvalidCardNo);
  }
}

TEST(CardNo, R_C2_GeneratedNumbersParse) {
  std::mt19937 engine(7);
  auto uniform = [&](std::uint32_t n) { return std::uniform_int_distribution<std::uint32_t>(0, n - 1)(engine); };
  for (int i = 0; i < 1000; ++i) {
    const auto card = CardNo::generate(uniform);
    EXPECT_TRUE(CardNo::parse(card.str()).ok()) << card.str();
  }
}

}  // namespace
}  // namespace essc::domain
