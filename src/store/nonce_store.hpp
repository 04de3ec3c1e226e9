// Single-use request nonces (R-S2) and rate-limit counters (R-S4), kept in memory.
//
// Why not the database: a nonce needs uniqueness within the signature window, not
// durability, and a signed read must not pay for a write (ARCHITECTURE.md). What a
// restart forgets is covered by remembers(): a request signed before the second this
// store was created in is refused outright, so a request answered by an earlier process
// cannot be replayed to this one, unless it was signed and answered in that very second
// (timestamps are whole seconds). A restart also starts every rate window afresh.
//
// Memory: about 56 bytes per remembered nonce, each kept from its claim until its
// timestamp leaves the window (at most 601 s): some 250 MB at 15,000 signed requests a
// second.
//
// Thread safety: all methods are safe from any thread. Nonces are spread over shards
// by a keyed hash, each behind its own mutex, so concurrent claims rarely wait.
#pragma once

#include <array>
#include <cstdint>
#include <deque>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace essc::store {

class NonceStore {
 public:
  // `created_ms`: now, by the clock the callers' timestamps are checked against.
  explicit NonceStore(std::int64_t created_ms);

  // Whether every nonce signed with this timestamp (seconds) was claimed here, if it
  // was claimed at all: false for a request signed before the store existed.
  bool remembers(std::int64_t timestamp_s) const { return timestamp_s >= created_s_; }

  // Records the nonce for the client until expires_at_ms and, when it is fresh, counts
  // one request of `counter_key` in the fixed window of `window_ms` containing now_ms
  // (R-S4). Returns the count so far in that window (1 for the first), or nullopt when
  // the nonce was already recorded and has not expired (a replay; nothing is counted).
  std::optional<std::int64_t> claim_and_count(std::string_view client_id, std::string_view nonce,
                                              std::int64_t now_ms, std::int64_t expires_at_ms,
                                              std::string_view counter_key, std::int64_t window_ms);

  // How many nonces are remembered now (some may have expired and await their purge).
  std::size_t size() const;

 private:
  // The nonces claimed during one stretch of time, in claim order: the unit of purging.
  struct Generation {
    std::int64_t opened_ms = 0;
    std::int64_t expires_by_ms = 0;
    std::vector<std::uint64_t> digests;
  };
  struct Shard {
    mutable std::mutex mutex;
    std::unordered_map<std::uint64_t, std::int64_t> expiry_ms;  // keyed digest → expiry
    std::deque<Generation> generations;
  };
  struct Counter {
    std::int64_t window_start_ms = 0;
    std::int64_t hits = 0;
  };
  static constexpr std::size_t kShards = 16;

  bool claim(Shard& shard, std::uint64_t digest, std::int64_t now_ms, std::int64_t expires_at_ms);
  std::int64_t count(std::string_view counter_key, std::int64_t now_ms, std::int64_t window_ms);

  const std::int64_t created_s_;
  const std::string digest_key_;  // random per process: nobody can aim for a collision
  std::array<Shard, kShards> shards_;
  std::mutex counters_mutex_;
  std::unordered_map<std::string, Counter> counters_;
};

}  // namespace essc::store
