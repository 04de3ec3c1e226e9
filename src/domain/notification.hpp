// A message in a cardholder's inbox (R-L6, R-E9), and a message to a channel or a phone
// whose delivery was given up (R-L6).
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace essc::domain {

struct Notification {
  std::int64_t notification_id = 0;
  std::int64_t person_id = 0;
  std::string type;
  std::optional<std::string> binding_id;
  std::string title_zh;
  std::string title_en;
  std::string body_zh;
  std::string body_en;
  // The figures of the payment a message announces (settlement.paid, settlement.refunded,
  // contribution.paid) as a JSON object, so that a page can show them; empty otherwise.
  std::string detail_json;
  std::int64_t at_ms = 0;
  // Read with the row, not stored in it: the channel of `binding_id`, so a channel can be
  // shown another channel's name instead of its binding id (R-E2).
  std::optional<std::string> channel_id;
  std::optional<std::string> channel_name;
};

// A webhook or SMS whose retries ran out, as operators see it: no payload, no SMS
// destination.
struct GivenUpDelivery {
  std::string event_id;
  std::string kind;  // "webhook" | "sms"
  std::optional<std::string> client_id;
  std::int64_t attempts = 0;
  std::string last_error;
  std::int64_t created_at_ms = 0;
};

}  // namespace essc::domain
