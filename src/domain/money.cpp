#include "domain/money.hpp"

#include <string>

namespace essc::domain {

Result<std::int64_t> parse_amount_fen(std::int64_t value, std::string_view field) {
  if (value < 1 || value > kAmountFenMax)
    return Error::with_field(ErrorCode::kInvalidAmount, std::string(field));
  return value;
}

}  // namespace essc::domain
