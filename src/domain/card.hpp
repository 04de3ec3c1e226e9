// A physical social security card (R-C1) with its two PINs and financial function
// (R-C2, R-C3), and the benefits paid to it.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "domain/card_state.hpp"

namespace essc::domain {

struct Card {
  std::string card_no;
  std::int64_t person_id = 0;
  CardStatus status = CardStatus::kPendingPickup;
  std::string region_code;
  std::string bank_code;
  std::optional<std::string> hr_pin_hash;
  std::optional<std::string> financial_pin_hash;
  bool financial_active = false;
  std::optional<std::string> bank_account_no;
  std::optional<std::string> reserved_phone;
  std::optional<std::string> replaces_card_no;
  std::int64_t created_at_ms = 0;
  std::int64_t updated_at_ms = 0;
};

// A benefit credited through the card's financial function (R-U6).
struct Benefit {
  std::string benefit_id;
  std::int64_t person_id = 0;
  std::string card_no;
  std::string kind;
  std::string period;
  std::int64_t amount_fen = 0;
  std::int64_t at_ms = 0;
};

}  // namespace essc::domain
