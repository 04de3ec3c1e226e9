// Refusals of callers not (yet) authenticated — a bad or expired signature, an unknown
// client, a reused nonce, an invalid operator token — recorded in bounded form (R-S6,
// R-S4 "every refusal recorded with its reason"). An audit entry per refusal let anyone
// grow the log as fast as they could send requests; here they are counted in memory
// and written as one audit entry per (source, reason, minute) with the count, so a
// flood adds at most one entry a minute per known client and reason.
//
// A source is "client:<id>" only for a client the platform knows; any other caller is
// "client:(unknown)" or "operator:(unknown)", so made-up ids cannot add sources either.
// Minutes are written when they are over (by the caller of record() that first sees the
// next minute, unless a flush is under way, or by the thread start() runs) and all at
// once by stop(). totals() counts every refusal since start-up, by source kind and
// reason, for /metrics.
//
// Thread safety: record() and totals() from any thread; start(), stop() and flush()
// from the owner (stop() may also run from the destructor).
#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <tuple>
#include <vector>

#include "common/clock.hpp"
#include "common/periodic_task.hpp"
#include "store/database.hpp"

namespace essc::services {

enum class RefusalSource { kClient, kOperator };

class RefusalLog {
 public:
  RefusalLog(const Clock& clock, store::Database& db) : clock_(clock), db_(db) {}
  ~RefusalLog();
  RefusalLog(const RefusalLog&) = delete;
  RefusalLog& operator=(const RefusalLog&) = delete;

  // `known_id`: the client's id when the platform knows it, else empty.
  void record(RefusalSource source, std::string_view known_id, ErrorCode reason);

  // Writes the minutes that are over (every minute with `everything`) to the audit log;
  // returns how many entries were written.
  std::size_t flush(bool everything = false);

  void start();
  void stop();  // and writes everything counted

  struct Total {
    std::string source;  // "client" | "operator"
    std::string reason;  // an error code name
    std::uint64_t count = 0;
  };
  std::vector<Total> totals() const;

 private:
  // (source, reason, minute start) → refusals in that minute
  using Key = std::tuple<std::string, std::string, std::int64_t>;
  std::size_t write_due(bool everything);

  const Clock& clock_;
  store::Database& db_;
  mutable std::mutex mutex_;
  std::map<Key, std::int64_t> pending_;
  std::map<std::pair<std::string, std::string>, std::uint64_t> totals_;
  std::int64_t oldest_pending_minute_ms_ = INT64_MAX;
  std::mutex flush_mutex_;  // one flush at a time, so minutes reach the log in order

  PeriodicTask flusher_;
};

}  // namespace essc::services
