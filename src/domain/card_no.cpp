#include "domain/card_no.hpp"

namespace essc::domain {
namespace {

constexpr std::size_t kLength = 9;
constexpr std::uint32_t kLetters = 26;
constexpr std::uint32_t kDigits = 10;

// Draws from `uniform` and checks its promise: a value out of range would break the
// CardNo invariant, and it can only come from a wrong random source, not from input.
std::uint32_t draw(const std::function<std::uint32_t(std::uint32_t)>& uniform,
                   std::uint32_t upper_exclusive) {
  const std::uint32_t value = uniform(upper_exclusive);
  ESSC_INVARIANT(value < upper_exclusive);
  return value;
}

}  // namespace

Result<CardNo> CardNo::parse(std::string_view text) {
  const auto invalid = [] { return Error::with_field(ErrorCode::kInvalidCardNo, "card_no"); };
  if (text.size() != kLength) return invalid();
  std::string value(text);
  if (value[0] >= 'a' && value[0] <= 'z') value[0] = static_cast<char>(value[0] - 'a' + 'A');
  if (value[0] < 'A' || value[0] > 'Z') return invalid();
  for (std::size_t i = 1; i < kLength; ++i) {
    if (value[i] < '0' || value[i] > '9') return invalid();
  }
  return CardNo(std::move(value));
}

CardNo CardNo::generate(const std::function<std::uint32_t(std::uint32_t)>& uniform) {
  std::string value(kLength, '0');
  value[0] = static_cast<char>('A' + draw(uniform, kLetters));
  for (std::size_t i = 1; i < kLength; ++i)
    value[i] = static_cast<char>('0' + draw(uniform, kDigits));
  return CardNo(std::move(value));
}

}  // namespace essc::domain
