// Single-use request nonces (R-S2) and rate-limit counters (R-S4), kept in memory and,
// once open_journal() has run (`essc serve`), journalled to the data folder.
//
// Why not the database: a nonce needs uniqueness within the signature window across
// restarts, not a transaction, and a signed read must not pay for a database write
// (ARCHITECTURE.md). The journal (store/nonce_journal.hpp) costs one write(2) per
// claimed nonce and gives the unexpired nonces back to the next process, so a request
// answered before a restart (or a crash) cannot be replayed after it. remembers() says
// which timestamps the store can vouch for: all of them after a clean restart or a
// crash of the process; after a crash of the machine, those after what the last sync
// to disk may have left out; without a journal (tests, first start), those after the
// second the store was created in. A restart starts every rate window afresh.
//
// Memory: about 56 bytes per remembered nonce, each kept from its claim until its
// timestamp leaves the window (at most 601 s): some 250 MB at 15,000 signed requests a
// second.
//
// Thread safety: all methods are safe from any thread. Nonces are spread over shards
// by a keyed hash, each behind its own mutex, so concurrent claims rarely wait.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <deque>
#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "store/nonce_journal.hpp"
#include "store/request_nonces.hpp"

namespace essc::store {

class NonceStore final : public RequestNonces {
 public:
  // `created_ms`: now, by the clock the callers' timestamps are checked against.
  explicit NonceStore(std::int64_t created_ms);
  ~NonceStore() override;

  // Loads the nonces journalled in `folder` and journals every claim from now on; the
  // sync thread starts. REQUIRES: before the first claim. Throws std::runtime_error on
  // I/O errors (the server must not start without it).
  void open_journal(const std::filesystem::path& folder, const Clock& clock,
                    std::string boot_id = read_boot_id());
  // Closes the journal cleanly, so the next start refuses nothing. REQUIRES: after the
  // last claim.
  void close_journal();
  NonceJournal* journal() { return journal_.get(); }

  // Whether every nonce signed with this timestamp (seconds) was claimed here or loaded
  // from the journal, if it was claimed at all (see above).
  bool remembers(std::int64_t timestamp_s) const override {
    return timestamp_s > refuse_through_s_.load();
  }

  // Records the nonce for the client until expires_at_ms and, when it is fresh, counts
  // one request of `counter_key` in the fixed window of `window_ms` containing now_ms
  // (R-S4). Returns the count so far in that window (1 for the first), or nullopt when
  // the nonce was already recorded and has not expired (a replay; nothing is counted).
  // With a journal, a fresh nonce is written to it before this returns; a failed write
  // throws std::runtime_error (the request must not be answered).
  std::optional<std::int64_t> claim_and_count(std::string_view client_id, std::string_view nonce,
                                              std::int64_t now_ms, std::int64_t expires_at_ms,
                                              std::string_view counter_key,
                                              std::int64_t window_ms) override;

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

  std::uint64_t digest_of(std::string_view client_id, std::string_view nonce) const;

  const std::int64_t created_s_;
  std::atomic<std::int64_t> refuse_through_s_;
  std::unique_ptr<NonceJournal> journal_;
  const std::string digest_key_;  // random per process: nobody can aim for a collision
  std::array<Shard, kShards> shards_;
  std::mutex counters_mutex_;
  std::unordered_map<std::string, Counter> counters_;
};

}  // namespace essc::store
