// Money is integer fen (分, 1/100 yuan) everywhere (API.md): no floating point, so sums
// and splits are exact.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "common/result.hpp"

namespace essc::domain {

// 10^12 fen = ten billion yuan: far above any single movement a card sees, and far
// below INT64_MAX (≈9.2 × 10^18), so even millions of maximal movements summed in one
// balance or reconciliation cannot overflow.
inline constexpr std::int64_t kAmountFenMax = 1'000'000'000'000;

// The amount unchanged, or INVALID_AMOUNT naming `field` unless 1 ≤ value ≤ kAmountFenMax
// (a movement of zero or less is never meaningful: refunds are their own operation).
Result<std::int64_t> parse_amount_fen(std::int64_t value, std::string_view field = "amount_fen");

// "¥1,234.56" (a minus before the sign when negative): how a message or a slip shows fen.
std::string format_yuan(std::int64_t fen);

}  // namespace essc::domain
