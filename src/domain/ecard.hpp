// The e-card of one physical card (R-E1) with its password state (R-W1, R-W4), shared by
// every channel, and one channel's issuance of it (R-E2): its own opaque id and level.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "domain/card_state.hpp"

namespace essc::domain {

// Issuance levels (R-E3, R-E4): identity, query and settlement; and payments from the bank.
inline constexpr std::int64_t kLevelIdentity = 1;
inline constexpr std::int64_t kLevelFinancial = 2;

struct Ecard {
  std::int64_t ecard_id = 0;
  std::string card_no;
  std::int64_t person_id = 0;
  std::string password_hash;
  std::int64_t password_failures = 0;
  std::optional<std::int64_t> password_locked_until_ms;
  std::int64_t created_at_ms = 0;
  std::int64_t updated_at_ms = 0;
};

struct Binding {
  std::string binding_id;
  std::int64_t ecard_id = 0;
  std::string client_id;
  std::int64_t level = kLevelIdentity;
  BindingStatus status = BindingStatus::kUsable;
  std::int64_t created_at_ms = 0;
  std::int64_t updated_at_ms = 0;
};

}  // namespace essc::domain
