#include "domain/region_code.hpp"

#include <algorithm>
#include <array>

namespace essc::domain {
namespace {

constexpr std::size_t kLength = 6;
// GB/T 2260 province-level prefixes: 11-15 North, 21-23 North-east, 31-37 East,
// 41-46 South-central, 50-54 South-west, 61-65 North-west, 71 Taiwan, 81 Hong Kong,
// 82 Macao.
constexpr std::array<int, 34> kProvinces{11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42,
                                         43, 44, 45, 46, 50, 51, 52, 53, 54, 61, 62, 63, 64, 65, 71, 81, 82};

bool is_region_code(std::string_view text) {
  if (text.size() != kLength) return false;
  for (char ch : text) {
    if (ch < '0' || ch > '9') return false;
  }
  const int province = (text[0] - '0') * 10 + (text[1] - '0');
  return std::find(kProvinces.begin(), kProvinces.end(), province) != kProvinces.end();
}

}  // namespace

Result<std::string> parse_region_code(std::string_view text, std::string_view field_name) {
  if (!is_region_code(text)) return Error::invalid_field(std::string(field_name));
  return std::string(text);
}

}  // namespace essc::domain
