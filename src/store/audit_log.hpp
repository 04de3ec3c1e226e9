// The append-only, hash-chained audit log (R-S6).
//
// Invariant: for every row, hash = SHA-256(prev_hash || canonical(row)) and prev_hash is
// the hash of the row before it (32 zero bytes for the first). Rows are appended only
// inside the same write transaction as the change they record, by the single writer,
// so the chain has no forks. Targets never hold personal data in clear (R-S5): callers
// pass masked values or opaque ids.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "store/sql.hpp"

namespace essc::store {

struct AuditEntry {
  std::int64_t seq = 0;
  std::int64_t at_ms = 0;
  std::string actor;    // "operator:alice", "client:ch_…", "system", "cli"
  std::string action;   // "card.activate", "operator.login", …
  std::string target;   // card number, masked ID number, client id, …
  std::string outcome;  // "ok" or the error code
  std::string hash;     // raw 32 bytes
};

struct AuditVerification {
  std::int64_t entries = 0;
  bool ok = true;
  std::optional<std::int64_t> first_bad_seq;
};

// Appends one entry inside the caller's transaction.
void append_audit(Connection& c, std::int64_t at_ms, std::string_view actor,
                  std::string_view action, std::string_view target, std::string_view outcome);

// Entries with from_ms <= at_ms < to_ms and seq > after_seq, oldest first, at most `limit`.
std::vector<AuditEntry> list_audit(Connection& c, std::int64_t from_ms, std::int64_t to_ms,
                                   std::int64_t after_seq, std::int64_t limit);

// Recomputes the chain end to end.
AuditVerification verify_audit(Connection& c);

// The newest entry's seq and hash; nullopt for an empty log.
std::optional<std::pair<std::int64_t, std::string>> audit_head(Connection& c);
// The stored hash of entry `seq`; nullopt when there is no such entry.
std::optional<std::string> audit_hash_at(Connection& c, std::int64_t seq);

}  // namespace essc::store
