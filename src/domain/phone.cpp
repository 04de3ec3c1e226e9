#include "domain/phone.hpp"

namespace essc::domain {
namespace {

// Mobile numbers of the mainland numbering plan: 1, then a second digit 3-9 (the
// 10x-12x ranges are not mobile), then nine more digits.
constexpr std::size_t kLength = 11;

bool is_mobile_number(std::string_view text) {
  if (text.size() != kLength || text[0] != '1' || text[1] < '3' || text[1] > '9') return false;
  for (char ch : text) {
    if (ch < '0' || ch > '9') return false;
  }
  return true;
}

}  // namespace

Result<Phone> Phone::parse(std::string_view text, std::string_view field_name) {
  if (!is_mobile_number(text))
    return Error::with_field(ErrorCode::kInvalidPhone, std::string(field_name));
  return Phone(std::string(text));
}

}  // namespace essc::domain
