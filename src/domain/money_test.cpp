#include "domain/money.hpp"

#include <gtest/gtest.h>

#include <limits>

namespace essc::domain {
namespace {

TEST(Money, R_U4_AcceptsOneFenUpToTheMaximum) {
  EXPECT_EQ(*parse_amount_fen(1), 1);
  EXPECT_EQ(*parse_amount_fen(12'345), 12'345);
  EXPECT_EQ(*parse_amount_fen(kAmountFenMax), kAmountFenMax);
}

TEST(Money, R_U4_RejectsZeroNegativeAndTooLarge) {
  for (std::int64_t value :
       {std::int64_t{0}, std::int64_t{-1}, kAmountFenMax + 1,
        std::numeric_limits<std::int64_t>::min(), std::numeric_limits<std::int64_t>::max()}) {
    auto amount = parse_amount_fen(value);
    ASSERT_FALSE(amount.ok()) << value;
    EXPECT_EQ(amount.error().code, ErrorCode::kInvalidAmount);
    EXPECT_EQ(amount.error().extras.field, "amount_fen");
  }
  EXPECT_EQ(parse_amount_fen(0, "items[2].unit_price_fen").error().extras.field,
            "items[2].unit_price_fen");
}

TEST(Money, MaximumLeavesRoomForLargeSums) {
  // A million maximal amounts still fit in an int64 (the reason for the bound).
  EXPECT_LT(kAmountFenMax, std::numeric_limits<std::int64_t>::max() / 1'000'000);
}

TEST(Money, FormatYuanGroupsThousandsAndKeepsTheFen) {
  EXPECT_EQ(format_yuan(0), "¥0.00");
  EXPECT_EQ(format_yuan(5), "¥0.05");
  EXPECT_EQ(format_yuan(1850), "¥18.50");
  EXPECT_EQ(format_yuan(123456789), "¥1,234,567.89");
  EXPECT_EQ(format_yuan(-100000), "-¥1,000.00");
  EXPECT_EQ(format_yuan(std::numeric_limits<std::int64_t>::min()), "-¥92,233,720,368,547,758.08");
}

}  // namespace
}  // namespace essc::domain
