// One movement of a personal medical account (R-U7): the balance it left is kept with it,
// so a statement needs no running sum.
#pragma once

#include <cstdint>
#include <string>

namespace essc::domain {

struct AccountMovement {
  std::int64_t movement_id = 0;
  std::string kind;  // "credit", …
  std::int64_t amount_fen = 0;
  std::int64_t balance_after_fen = 0;
  std::string memo;
  std::int64_t at_ms = 0;
};

}  // namespace essc::domain
