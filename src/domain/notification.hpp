// A message in a cardholder's inbox (R-L6, R-E9).
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

}  // namespace essc::domain
