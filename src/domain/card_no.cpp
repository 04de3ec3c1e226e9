#include "domain/card_no.hpp"

namespace essc::domain {

Result<CardNo> CardNo::parse(std::string_view text) {
  if (text.size() != 9) return Error::with_field(ErrorCode::kInvalidCardNo, "card_no");
  std::string value(text);
  if (value[0] >= 'a' && value[0] <= 'z') value[0] = static_cast<char>(value[0] - 'a' + 'A');
  bool ok = value[0] >= 'A' && value[0] <= 'Z';
  for (std::size_t i = 1; i < 9; ++i) ok = ok && value[i] >= '0' && value[i] <= '9';
  if (!ok) return Error::with_field(ErrorCode::kInvalidCardNo, "card_no");
  return CardNo(std::move(value));
}

CardNo CardNo::generate(const std::function<std::uint32_t(std::uint32_t)>& uniform) {
  std::string value(9, '0');
  value[0] = static_cast<char>('A' + uniform(26));
  for (std::size_t i = 1; i < 9; ++i) value[i] = static_cast<char>('0' + uniform(10));
  return CardNo(std::move(value));
}

}  // namespace essc::domain
