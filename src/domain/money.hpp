// Money is integer fen everywhere (API.md).
#pragma once

#include <cstdint>
#include <string_view>

#include "common/result.hpp"

namespace essc::domain {

// Ten billion yuan: far above any single movement a card sees, far below where sums of
// many movements could overflow an int64.
inline constexpr std::int64_t kAmountFenMax = 1'000'000'000'000;

// INVALID_AMOUNT naming `field` unless 1 ≤ value ≤ kAmountFenMax.
Result<std::int64_t> parse_amount_fen(std::int64_t value, std::string_view field = "amount_fen");

}  // namespace essc::domain
