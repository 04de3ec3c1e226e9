// The server store: one PostgreSQL database shared by every essc process
// (docs/architecture.md "The store"). A bounded pool of connections per process; reads
// run in a REPEATABLE READ, READ ONLY snapshot; each write job is a SERIALIZABLE
// transaction, so every check-then-act of the services stays correct with many
// processes writing at once. A serialization failure or deadlock runs the job again,
// at most limits::kStoreRetriesMax times with jittered backoff; then UNAVAILABLE with
// retry_after. A row-locked job (Database::write_row_locked) is a READ COMMITTED
// transaction, run again when a unique key meets a concurrent insert. A connection lost before
// COMMIT runs the job again on a new connection (after a failover, on the new primary); one lost
// during COMMIT answers UNAVAILABLE, since the outcome is unknown and only the caller's idempotency
// key can tell.
#pragma once

#include <atomic>
#include <chrono>
#include <mutex>
#include <optional>

#include "common/clock.hpp"
#include "store/database.hpp"
#include "store/postgres_pool.hpp"

namespace essc::store {

class PostgresDatabase final : public Database {
 public:
  // Connects, applies pending migrations (one process at a time). Throws StoreError
  // (unavailable) when the server cannot be reached.
  PostgresDatabase(PostgresTarget target, std::size_t pool_size, const Clock& clock);
  ~PostgresDatabase() override;
  PostgresDatabase(const PostgresDatabase&) = delete;
  PostgresDatabase& operator=(const PostgresDatabase&) = delete;

  std::uint64_t batches_committed() const override { return commits_.load(); }
  std::uint64_t jobs_committed() const override { return commits_.load(); }
  std::uint64_t write_retries() const override { return retries_.load(); }
  std::uint64_t round_trips() const override { return pool_.round_trips(); }
  // Every read is a round trip to the server (and after a failover, a reconnection).
  bool reads_are_local() const override { return false; }
  const PostgresTarget& target() const { return pool_.target(); }
  // Whether a writable primary answers `SELECT NOT pg_is_in_recovery()` within
  // limits::kReadyProbeTimeoutMs; the answer is kept limits::kReadyProbeCacheMs.
  bool ready() override;

 protected:
  void run_read(const std::function<void(Connection&)>& f) override;
  Status run_write(const std::function<bool(Connection&)>& job, WriteIsolation isolation) override;

 private:
  enum class Attempt { kCommitted, kRolledBack, kRetry, kLostAtCommit, kRefused };
  // kRefused sets `refusal`: the commit's flight failed as a job's statement could.
  Attempt attempt_write(const std::function<bool(Connection&)>& job, WriteIsolation isolation,
                        std::optional<Error>& refusal);
  static void read_in(PostgresConnection& connection, const std::function<void(Connection&)>& f);
  bool probe_primary();

  PostgresPool pool_;
  std::atomic<std::uint64_t> commits_{0};
  std::atomic<std::uint64_t> retries_{0};
  std::mutex probe_mutex_;
  std::chrono::steady_clock::time_point probed_at_{};
  std::atomic<bool> primary_ready_{false};
};

}  // namespace essc::store
