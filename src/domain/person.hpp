// A cardholder (R-P1): personal data in clear, in memory only.
// The store seals it at rest and answers mask it (R-S5).
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace essc::domain {

struct Person {
  std::int64_t person_id = 0;
  std::string id_number;
  std::string name;
  std::string region_code;
  std::optional<std::string> phone;
  bool photo_police = false;
  bool photo_cardholder = false;
  std::int64_t created_at_ms = 0;
};

}  // namespace essc::domain
