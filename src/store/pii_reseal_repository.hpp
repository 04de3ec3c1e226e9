// Re-sealing after a rotation of the PII vault key (R-S9): every sealed column of the
// store is walked in key order, a batch of rows at a time, and each value a retired key
// sealed is sealed again under the current one (crypto::PiiVault::reseal).
//
// Progress is kept in the store, per key (PiiVault::key_id) and table: the last key done,
// the values re-sealed, and whether the table is finished. So re-sealing resumes where
// it stopped after a restart, and several servers of one store share the walk: a batch
// reads its table's cursor and advances it in the same transaction as its updates, so
// two servers never re-seal one row twice (on PostgreSQL the second is run again after
// the serialization failure, and finds the cursor moved on).
//
// Rows written after every server took the new key are sealed under it already; the walk
// only checks them. What no key held can open (an altered value) is counted, left as it
// is, and logged by the caller, never a reason to stop.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "crypto/pii_vault.hpp"
#include "store/sql.hpp"

namespace essc::store {

// One table's progress under one key.
struct ResealProgress {
  std::string table;
  std::int64_t checked = 0;     // rows walked
  std::int64_t resealed = 0;    // values sealed again under the current key
  std::int64_t unreadable = 0;  // values no key held could open
  bool done = false;
};

// What one batch did.
struct ResealBatch {
  std::string table;  // empty when every table was done already
  std::int64_t checked = 0;
  std::int64_t resealed = 0;
  std::int64_t unreadable = 0;
  bool all_done = false;  // every sealed table is finished under the current key
};

// Re-seals up to `rows` rows of the first table not finished under the vault's current
// key, in one write transaction (the caller's). REQUIRES: rows > 0.
ResealBatch reseal_next_batch(Connection& c, const crypto::PiiVault& vault, int rows);

// What re-sealing walks: every sealed column, as "table.column", in walk order.
std::vector<std::string> sealed_columns();

// Every sealed table's progress under the key named `key_id`, in walk order; a table
// not begun yet is listed with zeros.
std::vector<ResealProgress> reseal_progress(Connection& c, std::string_view key_id);

}  // namespace essc::store
