#include "domain/region_code.hpp"

#include <array>

namespace essc::domain {
namespace {

// GB/T 2260 province-level prefixes.
constexpr std::array<int, 34> kProvinces{11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42,
                                         43, 44, 45, 46, 50, 51, 52, 53, 54, 61, 62, 63, 64, 65, 71, 81, 82};

}  // namespace

Result<std::string> parse_region_code(std::string_view text, std::string_view field_name) {
  bool ok = text.size() == 6;
  for (std::size_t i = 0; ok && i < 6; ++i) ok = text[i] >= '0' && text[i] <= '9';
  if (ok) {
    const int province = (text[0] - '0') * 10 + (text[1] - '0');
    ok = false;
    for (int p : kProvinces) ok = ok || p == province;
  }
  if (!ok) return Error::invalid_field(std::string(field_name));
  return std::string(text);
}

}  // namespace essc::domain
