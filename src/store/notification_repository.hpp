// The cardholder's inbox and the outbox of webhooks and SMS to deliver (R-L6).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "crypto/pii_vault.hpp"
#include "domain/notification.hpp"
#include "store/sql.hpp"

namespace essc::store {

// A webhook or SMS waiting for delivery: written in the transaction that caused it and
// delivered after commit by the outbox worker.
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

// The notification's id is the store's, read back by list_notifications().
void insert_notification(Connection& c, const domain::Notification& n);
// Newest first, ids below `before_id` (0: from the newest), at most `limit`; each with
// the channel (id and name) of its binding.
std::vector<domain::Notification> list_notifications(Connection& c, std::int64_t person_id,
                                                     std::int64_t before_id, std::int64_t limit);

void insert_outbox_event(Connection& c, const crypto::PiiVault& vault, const OutboxRecord& record);
// Undelivered, not given up, due at `now_ms`, oldest first.
std::vector<OutboxRecord> due_outbox_events(Connection& c, const crypto::PiiVault& vault,
                                            std::int64_t now_ms, std::int64_t limit);
// The same, taken for delivery by this server for `lease_ms` (every server on one
// store delivers; each event goes to one at a time), leaving out every lane (a
// channel; each SMS alone) that has an event leased. REQUIRES: in a write transaction.
std::vector<OutboxRecord> claim_due_outbox_events(Connection& c, const crypto::PiiVault& vault,
                                                  std::int64_t now_ms, std::int64_t lease_ms,
                                                  std::int64_t limit);
void mark_outbox_event_delivered(Connection& c, std::string_view event_id, std::int64_t attempts,
                                 std::int64_t at_ms);
void mark_outbox_event_failed(Connection& c, std::string_view event_id, std::int64_t attempts,
                              std::int64_t next_attempt_at_ms, bool gave_up,
                              std::string_view error);
// Gives a claimed event back undelivered, due now (a server that stops mid-lane).
void release_outbox_event(Connection& c, std::string_view event_id, std::int64_t now_ms);
// The newest `limit` events that exhausted their retries, for operators: what they show
// of them, so that no SMS destination is unsealed to list them.
std::vector<domain::GivenUpDelivery> given_up_outbox_events(Connection& c, std::int64_t limit);

}  // namespace essc::store
