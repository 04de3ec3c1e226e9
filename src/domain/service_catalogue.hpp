// The services an e-card opens and the issuance level each needs (R-U8, R-E3, R-E4):
// level 1 gives identity, queries and medical settlement; level 2 adds payments.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>

namespace essc::domain {

struct EcardService {
  std::string_view code;
  std::string_view name_zh;
  std::int64_t level_required;
};

std::span<const EcardService> service_catalogue();

}  // namespace essc::domain
