// A 6-digit administrative division code (行政区划代码) of the insured place (参保地),
// R-P2; its first two digits name a province-level division.
#pragma once

#include <string>
#include <string_view>

#include "common/result.hpp"

namespace essc::domain {

// INVALID_REQUEST naming `field_name`.
Result<std::string> parse_region_code(std::string_view text, std::string_view field_name = "region_code");

}  // namespace essc::domain
