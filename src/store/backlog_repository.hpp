// What is waiting in the store to be done, for the operators' alerts (GET /metrics,
// deploy/prometheus/essc-rules.yml): audit entries not yet in the log's tree, messages
// not yet delivered per channel, bank movements still owed to cardholders. Read-only;
// each count reads a partial index or a table that holds only what is waiting.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "store/sql.hpp"

namespace essc::store {

struct Waiting {
  std::int64_t count = 0;
  std::optional<std::int64_t> oldest_at_ms;  // none when nothing waits
};

struct OutboxWaiting {
  std::string client_id;  // empty for messages to cardholders (SMS), which have no channel
  Waiting waiting;
};

// Audit entries appended but not yet given an index (store/audit_log.hpp).
Waiting pending_audit_entries(Connection& c);
// Outbox messages neither delivered nor given up, by channel.
std::vector<OutboxWaiting> undelivered_outbox(Connection& c);
// Owed bank movements (store/bank_transfer_repository.hpp) created before `before_ms`.
Waiting owed_bank_transfers_before(Connection& c, std::int64_t before_ms);

}  // namespace essc::store
