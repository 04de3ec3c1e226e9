#include "store/postgres_database.hpp"

#include <chrono>
#include <optional>
#include <random>

#include "common/limits.hpp"
#include "common/log.hpp"
#include "common/wait.hpp"
#include "store/migrations.hpp"

namespace essc::store {
namespace {

void backoff(int attempt) {
  thread_local std::mt19937 random{std::random_device{}()};
  const auto cap_ms =
      std::min<std::int64_t>(limits::kStoreRetryBackoffMaxMs, std::int64_t{1} << attempt);
  sleep_for(
      std::chrono::milliseconds(std::uniform_int_distribution<std::int64_t>(0, cap_ms)(random)));
}

}  // namespace

PostgresDatabase::PostgresDatabase(PostgresTarget target, std::size_t pool_size, const Clock& clock)
    : pool_(std::move(target), pool_size) {
  PostgresPool::Lease first(pool_);
  apply_migrations(*first, clock.now_ms());
}

PostgresDatabase::~PostgresDatabase() = default;

void PostgresDatabase::run_read(const std::function<void(Connection&)>& f) {
  {
    PostgresPool::Lease lease(pool_);
    try {
      read_in(*lease, f);
      return;
    } catch (const StoreError& e) {
      // The server went away since the pool last looked, before anything of f reached
      // it: one more try on a new connection (through the URL, to whichever node is
      // primary now).
      if (e.kind() != StoreError::Kind::kUnavailable || !lease->lost_in_first_flight()) throw;
      lease.discard();
    }
  }
  PostgresPool::Lease fresh(pool_);
  read_in(*fresh, f);
}

void PostgresDatabase::read_in(PostgresConnection& connection,
                               const std::function<void(Connection&)>& f) {
  // Deferring unread statements lets a read send its later reads ahead (a signed short
  // read: the client's generation with the handler's first read).
  connection.begin("BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY", /*defer_unread=*/true);
  try {
    f(connection);
    connection.reset_all();
    connection.commit_unawaited();
  } catch (...) {
    connection.reset_all();
    if (connection.healthy()) {
      try {
        connection.rollback();
      } catch (const StoreError&) {
      }
    }
    throw;
  }
}

PostgresDatabase::Attempt PostgresDatabase::attempt_write(
    const std::function<bool(Connection&)>& job, WriteIsolation isolation,
    std::optional<Error>& refusal) {
  PostgresPool::Lease lease(pool_);
  const bool row_locks = isolation == WriteIsolation::kRowLocks;
  bool keep = false;
  try {
    // Audit entries are appended unsequenced (store/audit_log.hpp): nothing here
    // queues one writer behind another.
    lease->begin(
        row_locks ? "BEGIN ISOLATION LEVEL READ COMMITTED" : "BEGIN ISOLATION LEVEL SERIALIZABLE",
        /*defer_unread=*/true);
    keep = job(*lease);
    lease->reset_all();
  } catch (const StoreError& e) {
    lease->reset_all();
    if (lease->healthy()) lease->rollback();
    // A key a concurrent insert took first: the next attempt reads that row.
    if (e.is_retryable() || (row_locks && e.is_constraint())) return Attempt::kRetry;
    if (e.kind() != StoreError::Kind::kUnavailable) throw;
    // Lost, or a standby now (25006): the next attempt opens a connection to the primary.
    lease.discard();
    return Attempt::kRetry;
  }
  if (!keep) {
    lease->rollback();
    return Attempt::kRolledBack;
  }
  try {
    lease->commit();
  } catch (const StoreError& e) {
    if (e.kind() == StoreError::Kind::kUnavailable) {
      lease.discard();
      return Attempt::kLostAtCommit;
    }
    // The server answered (a statement queued for the commit's flight failed, or the
    // COMMIT itself): nothing was written. As if the job had met the failure itself.
    if (e.is_retryable() || (row_locks && e.is_constraint())) return Attempt::kRetry;
    refusal = Error(e.is_constraint() ? ErrorCode::kConflict : ErrorCode::kUnavailable, e.what());
    return Attempt::kRefused;
  }
  ++commits_;
  return Attempt::kCommitted;
}

Status PostgresDatabase::run_write(const std::function<bool(Connection&)>& job,
                                   WriteIsolation isolation) {
  for (int attempt = 0;; ++attempt) {
    Attempt outcome = Attempt::kRetry;
    std::optional<Error> refusal;
    try {
      outcome = attempt_write(job, isolation, refusal);
    } catch (const StoreError& e) {
      if (e.kind() != StoreError::Kind::kUnavailable) throw;
      log_event(spdlog::level::warn,
                {{"event", "store_unavailable"}, {"detail", std::string_view(e.what())}});
    }
    switch (outcome) {
      case Attempt::kCommitted:
      case Attempt::kRolledBack:
        return {};
      case Attempt::kLostAtCommit:
        return outcome_unknown();
      case Attempt::kRefused:
        return std::move(*refusal);
      case Attempt::kRetry:
        break;
    }
    if (attempt + 1 >= limits::kStoreRetriesMax)
      return unavailable("the store is busy or unreachable; retry");
    ++retries_;
    backoff(attempt);
  }
}

}  // namespace essc::store

namespace essc::store {

bool PostgresDatabase::ready() {
  const auto now = std::chrono::steady_clock::now();
  std::unique_lock lock(probe_mutex_, std::try_to_lock);
  // A probe under way, or a recent answer: health checks do not load the store.
  if (!lock.owns_lock() ||
      now - probed_at_ < std::chrono::milliseconds(limits::kReadyProbeCacheMs)) {
    return primary_ready_.load();
  }
  primary_ready_ = probe_primary();
  probed_at_ = std::chrono::steady_clock::now();
  return primary_ready_.load();
}

bool PostgresDatabase::probe_primary() {
  std::optional<PostgresPool::Lease> lease;
  try {
    lease.emplace(pool_, limits::kReadyProbeTimeoutMs);
    (*lease)->exec("BEGIN READ ONLY");
    (*lease)->exec("SET LOCAL statement_timeout = " + std::to_string(limits::kReadyProbeTimeoutMs));
    static constexpr char kWritable[] = "SELECT NOT pg_is_in_recovery()";
    const bool writable =
        (*lease)->prepare(kWritable).first([](const Statement& s) { return s.int64(0); }) == 1;
    (*lease)->reset_all();
    (*lease)->exec("COMMIT");
    if (!writable) lease->discard();  // a standby: the pool must reconnect to find the primary
    return writable;
  } catch (const StoreError& e) {
    // A connection that timed out or failed mid-probe is in no state to be pooled.
    if (lease) lease->discard();
    log_event(spdlog::level::warn,
              {{"event", "store_not_ready"}, {"detail", std::string_view(e.what())}});
    return false;
  }
}

}  // namespace essc::store
