#include "domain/card_no.hpp"

#include <gtest/gtest.h>

#include <random>
#include <set>

namespace essc::domain {
namespace {

TEST(CardNo, R_C2_AcceptsLetterAndEightDigits) {
  auto card = CardNo::parse("B12345678");
  ASSERT_TRUE(card.ok());
  EXPECT_EQ(card->str(), "B12345678");
}

TEST(CardNo, R_C2_UpperCasesALowerCaseLetter) {
  auto card = CardNo::parse("b12345678");
  ASSERT_TRUE(card.ok());
  EXPECT_EQ(card->str(), "B12345678");
  EXPECT_EQ(*card, *CardNo::parse("B12345678"));
}

TEST(CardNo, R_C2_RejectsOtherShapes) {
  for (std::string_view text :
       {"", "B1234567", "B123456789", "112345678", "BB2345678", "B1234567X", "@12345678",
        "[12345678", " B1234567", "B 2345678", "Ｂ12345678", "B1234567８"}) {
    auto card = CardNo::parse(text);
    ASSERT_FALSE(card.ok()) << text;
    EXPECT_EQ(card.error().code, ErrorCode::kInvalidCardNo);
    EXPECT_EQ(card.error().extras.field, "card_no");
  }
}

TEST(CardNo, R_C2_GenerateUsesTheWholeRangeOfTheRandomSource) {
  // The smallest and largest draws give the first and last possible numbers.
  EXPECT_EQ(CardNo::generate([](std::uint32_t) { return 0u; }).str(), "A00000000");
  EXPECT_EQ(CardNo::generate([](std::uint32_t n) { return n - 1; }).str(), "Z99999999");
  // The letter is drawn from 26, every digit from 10.
  std::vector<std::uint32_t> asked;
  (void)CardNo::generate([&](std::uint32_t n) {
    asked.push_back(n);
    return 0u;
  });
  EXPECT_EQ(asked, (std::vector<std::uint32_t>{26, 10, 10, 10, 10, 10, 10, 10, 10}));
}

TEST(CardNo, R_C2_GeneratedNumbersParseAndVary) {
  std::mt19937 engine(7);
  auto uniform = [&](std::uint32_t n) {
    return std::uniform_int_distribution<std::uint32_t>(0, n - 1)(engine);
  };
  std::set<std::string> seen;
  for (int i = 0; i < 1000; ++i) {
    const auto card = CardNo::generate(uniform);
    const auto parsed = CardNo::parse(card.str());
    ASSERT_TRUE(parsed.ok()) << card.str();
    EXPECT_EQ(*parsed, card);
    seen.insert(card.str());
  }
  EXPECT_GT(seen.size(), 990u);  // 26 × 10^8 numbers: collisions among 1000 are rare
}

}  // namespace
}  // namespace essc::domain
