// Single-use request nonces (R-S2) and rate-limit counters (R-S4), kept in their own
// SQLite file with synchronous=OFF.
//
// Why not the main database: a nonce needs uniqueness within the signature window, not
// durability. Losing the last few in a crash reopens at most the 300-second window that
// the timestamp check already bounds (and resets a rate window), while an fsync per
// signed request would make every read pay for a disk flush (ARCHITECTURE.md).
//
// Thread safety: all methods are safe from any thread (one connection behind a mutex;
// each call is one short transaction).
#pragma once

#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include "store/sqlite.hpp"

namespace essc::store {

class NonceStore {
 public:
  explicit NonceStore(const std::string& path);

  // Records the nonce for the client until expires_at_ms and, when it is fresh, counts
  // one request of `counter_key` in the fixed window of `window_ms` containing now_ms
  // (R-S4). Returns the count so far in that window (1 for the first), or nullopt when
  // the nonce was already recorded and has not expired (a replay; nothing is counted).
  // Both happen in one transaction: one commit, not two, on every signed request.
  std::optional<std::int64_t> claim_and_count(std::string_view client_id, std::string_view nonce,
                                              std::int64_t now_ms, std::int64_t expires_at_ms,
                                              std::string_view counter_key, std::int64_t window_ms);

 private:
  std::mutex mutex_;
  Connection connection_;
  std::uint32_t claims_since_purge_ = 0;
};

}  // namespace essc::store
