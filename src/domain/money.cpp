#include "domain/money.hpp"

#include <string>

namespace essc::domain {

Result<std::int64_t> parse_amount_fen(std::int64_t value, std::string_view field) {
  if (value < 1 || value > kAmountFenMax)
    return Error::with_field(ErrorCode::kInvalidAmount, std::string(field));
  return value;
}

std::string format_yuan(std::int64_t fen) {
  // Unsigned, so that the most negative amount has a magnitude too.
  const auto magnitude =
      fen < 0 ? 0 - static_cast<std::uint64_t>(fen) : static_cast<std::uint64_t>(fen);
  std::string yuan = std::to_string(magnitude / 100);
  for (auto at = yuan.size(); at > 3; at -= 3) yuan.insert(at - 3, 1, ',');
  std::string text = fen < 0 ? "-¥" : "¥";
  text.append(yuan);
  text.push_back('.');
  text.push_back(static_cast<char>('0' + magnitude % 100 / 10));
  text.push_back(static_cast<char>('0' + magnitude % 10));
  return text;
}

}  // namespace essc::domain
