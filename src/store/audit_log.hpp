// The audit log (R-S6): an append-only Merkle tree (RFC 9162) whose leaves are audit
// entries (docs/architecture.md "The audit log").
//
// Writing and sequencing are apart, as in Trillian and Tessera. A write job appends its
// entries as pending leaves: one INSERT, no read of anything shared, so writers never
// wait for one another. The sequencer (integrate_audit) gives the pending leaves the
// next contiguous indices (their `seq`), stores the nodes they complete and answers the
// new tree; the platform then signs it as a checkpoint. SQLite's writer integrates inside
// every batch it commits; on PostgreSQL one sequencer at a time holds the log (an
// advisory lock), every few hundred milliseconds.
//
// An entry's bytes (the leaf) are the UTF-8 JSON of its fields with sorted keys and no
// spaces, with 16 random bytes of salt so that a public leaf hash reveals nothing of the
// entry. They are rebuilt from the stored fields (audit_entry_bytes), so an edited field
// changes its leaf and every root above it. Targets never hold personal data in clear
// (R-S5): callers pass masked values or opaque ids.
//
// Invariants: seq values are 0…size-1 without gaps; a node (level, index) is stored once
// every leaf under it is sequenced and never changes; nothing deletes or updates an
// entry except the sequencer setting its seq once.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "crypto/merkle.hpp"
#include "store/sql.hpp"

namespace essc::store {

inline constexpr std::size_t kAuditSaltBytes = 16;

struct AuditEntry {
  std::int64_t seq = -1;  // -1: pending
  std::int64_t at_ms = 0;
  std::string actor;       // "operator:alice", "client:ch_…", "system", "cli"
  std::string action;      // "card.activate", "operator.login", …
  std::string target;      // card number, masked ID number, client id, …
  std::string outcome;     // "ok" or the error code
  std::string salt;        // kAuditSaltBytes random bytes
  std::string chain_hash;  // for an entry of the hash chain the log had before: its hash
};

// The canonical JSON of the entry: its leaf bytes.
std::string audit_entry_bytes(const AuditEntry& entry);

// Appends one pending entry inside the caller's transaction. Nothing is read back, so on
// PostgreSQL the INSERT goes with the transaction's next flight. `person_id`: the
// cardholder the entry is about, whose proof may show it (R-S8).
void append_audit(Connection& c, std::int64_t at_ms, std::string_view actor,
                  std::string_view action, std::string_view target, std::string_view outcome,
                  std::optional<std::int64_t> person_id = std::nullopt);

// SQL for the id of the entry the transaction appended last, by which a record names the
// entry that audits it (and finds its seq once sequenced) without the id read back: on
// PostgreSQL the session's last value of the entries' sequence; on SQLite, whose one
// writer appends in order, the greatest id.
#define ESSC_LAST_AUDIT_ENTRY_POSTGRES \
  "currval(pg_get_serial_sequence('audit_entries', 'entry_id'))"
#define ESSC_LAST_AUDIT_ENTRY_SQLITE "(SELECT MAX(entry_id) FROM audit_entries)"

// Sequenced entries with from_ms <= at_ms < to_ms and seq > after_seq, oldest first, at
// most `limit`.
std::vector<AuditEntry> list_audit(Connection& c, std::int64_t from_ms, std::int64_t to_ms,
                                   std::int64_t after_seq, std::int64_t limit);
std::optional<AuditEntry> audit_entry_at(Connection& c, std::int64_t seq);
// The cardholder the entry at `seq` is about.
std::optional<std::int64_t> audit_person_at(Connection& c, std::int64_t seq);
// Calls f for every sequenced entry in seq order (for verification and copies).
void for_each_audit_entry(Connection& c, const std::function<void(const AuditEntry&)>& f);

struct AuditTree {
  std::uint64_t size = 0;
  std::string root;  // raw 32 bytes
};

// The tree of every sequenced entry.
AuditTree audit_tree(Connection& c);
// Stored node hashes, for proofs (crypto/merkle.hpp). Throws StoreError when asked for a
// node that is not stored.
crypto::NodeHashes audit_nodes(Connection& c);
// The hashes of nodes (level, first…first+count-1) that are stored, in order.
std::vector<std::string> audit_node_run(Connection& c, int level, std::uint64_t first,
                                        std::uint64_t count);

// The sequencer: sequences up to `limit` pending entries, oldest first, and stores the
// nodes they complete. nullopt when another sequencer holds the log (PostgreSQL);
// otherwise the tree after, with the arrival time of the oldest entry it sequenced.
// REQUIRES: on PostgreSQL, the first statement of its write transaction.
struct Integration {
  AuditTree tree;
  std::int64_t sequenced = 0;
  std::optional<std::int64_t> oldest_at_ms;
};
std::optional<Integration> integrate_audit(Connection& c, std::int64_t limit);

// A folder whose log was the hash chain of earlier versions: verifies the chain once and
// appends its entries, in order, as the first leaves (each with its chain hash); answers
// how many. Throws StoreError when the chain does not verify (nothing is adopted).
std::int64_t adopt_audit_chain(Connection& c);

}  // namespace essc::store
