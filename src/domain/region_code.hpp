// A 6-digit administrative division code (行政区划代码, GB/T 2260) such as 330200 (Ningbo),
// used for the insured place (参保地) of a person and the issuing region of a card (R-P2,
// R-C2). Its first two digits must name a real province-level division; the code may
// itself be province-level (330000) or prefecture-level (330200). Which codes exist
// below the province changes yearly, so the domain does not keep that list.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "common/result.hpp"

namespace essc::domain {

// The code unchanged, or INVALID_REQUEST naming `field_name`.
Result<std::string> parse_region_code(std::string_view text,
                                      std::string_view field_name = "region_code");

// A division's name as people say it, in Chinese and English.
struct RegionName {
  std::string_view zh;
  std::string_view en;
};

// The name shown beside a code so no page shows 330200 to a cardholder: the cities of
// Zhejiang (where the platform runs) by their prefecture code, any other code by its
// province; nullopt for a code that names no province.
std::optional<RegionName> region_name(std::string_view code);

}  // namespace essc::domain
