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
  std::int64_t requests_per_minute = 0;  // R-S4: signed requests allowed a minute
  // Whether this channel's QR codes come with a PNG when a request does not say: apps
  // that draw the code from the token turn it off (docs/qr-token.md "Images").
  bool qr_png = true;
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

// The e-card of one physical card (R-E1) and its password state (R-W1, R-W4), shared by
// every channel.
struct EcardRecord {
  std::int64_t ecard_id = 0;
  std::string card_no;
  std::int64_t person_id = 0;
  std::string password_hash;
  std::int64_t password_failures = 0;
  std::optional<std::int64_t> password_locked_until_ms;
  std::int64_t created_at_ms = 0;
  std::int64_t updated_at_ms = 0;
};

// One channel's issuance of an e-card (R-E2): its own opaque id and its own level.
struct BindingRecord {
  std::string binding_id;
  std::int64_t ecard_id = 0;
  std::string client_id;
  std::int64_t level = 1;
  domain::BindingStatus status = domain::BindingStatus::kUsable;
  std::int64_t created_at_ms = 0;
  std::int64_t updated_at_ms = 0;
};

struct VerificationRecord {
  std::string verification_id;
  std::string client_id;
  std::string purpose;  // issue | upgrade | reset_password | cancel_loss
  std::int64_t person_id = 0;
  std::string card_no;
  std::optional<std::string> binding_id;
  std::optional<std::int64_t> verified_level;  // 1 after face, 2 after SMS (R-E3, R-E4)
  std::int64_t face_attempts = 0;
  std::int64_t factor_attempts = 0;
  std::optional<std::string> otp_hash;
  std::optional<std::int64_t> otp_sent_at_ms;
  std::optional<std::int64_t> otp_expires_at_ms;
  std::int64_t otp_attempts = 0;
  bool consumed = false;
  std::int64_t expires_at_ms = 0;
  std::int64_t created_at_ms = 0;
};

struct NotificationRecord {
  std::int64_t notification_id = 0;
  std::int64_t person_id = 0;
  std::string type;
  std::optional<std::string> binding_id;
  std::string title_zh;
  std::string body_zh;
  std::string body_en;
  std::int64_t at_ms = 0;
  // Read with the row, not stored in it: the channel of `binding_id`, so a channel can be
  // shown another channel's name instead of its binding id (R-E2).
  std::optional<std::string> channel_id;
  std::optional<std::string> channel_name;
};

struct OutboxRecord {
  std::string event_id;
  std::string kind;  // "webhook" | "sms"
  std::optional<std::string> client_id;
  std::optional<std::string> destination;  // the phone of an SMS, sealed at rest
  std::string payload;
  std::int64_t attempts = 0;
  std::int64_t next_attempt_at_ms = 0;
  std::optional<std::int64_t> delivered_at_ms;
  bool gave_up = false;
  std::optional<std::string> last_error;
  std::int64_t created_at_ms = 0;
};

}  // namespace essc::store
