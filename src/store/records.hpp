// The rows the platform keeps, as the services see them: personal data in clear, in
// memory only. Repositories seal and unseal it at the storage boundary (R-S5).
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "domain/card_state.hpp"

namespace essc::store {

struct PersonRecord {
  std::int64_t person_id = 0;
  std::string id_number;
  std::string name;
  std::string region_code;
  std::optional<std::string> phone;
  bool photo_police = false;
  bool photo_cardholder = false;
  std::int64_t created_at_ms = 0;
};

struct CardRecord {
  std::string card_no;
  std::int64_t person_id = 0;
  domain::CardStatus status = domain::CardStatus::kPendingPickup;
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

enum class OperatorRole { kAdmin, kHrClerk, kBankTeller };

struct OperatorRecord {
  std::string username;
  std::string password_hash;
  OperatorRole role = OperatorRole::kHrClerk;
  std::optional<std::string> bank_code;  // set exactly for bank tellers
};

enum class ClientKind { kChannel, kInstitution };

struct ClientRecord {
  std::string client_id;
  ClientKind kind = ClientKind::kChannel;
  std::string name;
  std::optional<std::string> channel_type;      // gov | bank | third_party
  std::optional<std::string> institution_type;  // pharmacy | hospital | service_hall
  std::optional<std::string> region_code;
  std::optional<std::string> webhook_url;
  std::string secret;
  std::optional<std::string> webhook_secret;
  bool suspended = false;
  std::int64_t created_at_ms = 0;
};

struct AccountMovement {
  std::int64_t movement_id = 0;
  std::string kind;  // "credit", …
  std::int64_t amount_fen = 0;
  std::int64_t balance_after_fen = 0;
  std::string memo;
  std::int64_t at_ms = 0;
};

struct BenefitRecord {
  std::string benefit_id;
  std::int64_t person_id = 0;
  std::string card_no;
  std::string kind;
  std::string period;
  std::int64_t amount_fen = 0;
  std::int64_t at_ms = 0;
};

}  // namespace essc::store
