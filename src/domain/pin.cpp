#include "domain/pin.hpp"

namespace essc::domain {
namespace {

constexpr std::size_t kPinDigits = 6;

}  // namespace

bool is_six_digits(std::string_view text) {
  if (text.size() != kPinDigits) return false;
  for (char ch : text) {
    if (ch < '0' || ch > '9') return false;
  }
  return true;
}

Result<std::string> parse_pin(std::string_view text, std::string_view field_name) {
  if (!is_six_digits(text))
    return Error::with_field(ErrorCode::kInvalidPasswordFormat, std::string(field_name));
  return std::string(text);
}

}  // namespace essc::domain
