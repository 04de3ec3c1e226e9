#include "store/postgres_database.hpp"

#include <chrono>
#include <random>
#include <thread>

#include "common/limits.hpp"
#include "common/log.hpp"
#include "store/migrations.hpp"

namespace essc::store {
namespace {

void backoff(int attempt) {
  thread_local std::mt19937 random{std::random_device{}()};
  const auto cap_ms = std::min<std::int64_t>(limits::kStoreRetryBackoffMaxMs, std::int64_t{1} << attempt);
  std::this_thread::sleep_for(std::chrono::milliseconds(std::uniform_int_distribution<std::int64_t>(0, cap_ms)(random)));
}

}  // namespace

PostgresDatabase::PostgresDatabase(PostgresTarget target, std::size_t pool_size, const Clock& clock)
    : pool_(std::move(target), pool_size) {
  PostgresPool::Lease first(pool_);
  apply_migrations(*first, clock.now_ms());
}

PostgresDatabase::~PostgresDatabase() = default;

void PostgresDatabase::run_read(const std::function<void(Connection&)>& f) {
  PostgresPool::Lease lease(pool_);
  lease->exec("BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY");
  try {
    f(*lease);
    lease->reset_all();
    lease->exec("COMMIT");
  } catch (...) {
    lease->reset_all();
    if (lease->healthy()) {
      try {
        lease->exec("ROLLBACK");
      } catch (const StoreError&) {
      }
    }
    throw;
  }
}

PostgresDatabase::Attempt PostgresDatabase::attempt_write(const std::function<bool(Connection&)>& job) {
  PostgresPool::Lease lease(pool_);
  bool keep = false;
  try {
    lease->exec("BEGIN ISOLATION LEVEL SERIALIZABLE");
    keep = job(*lease);
    lease->reset_all();
  } catch (const StoreError& e) {
    lease->reset_all();
    if (lease->healthy()) lease->exec("ROLLBACK");
    if (e.is_retryable() || e.kind() == StoreError::Kind::kUnavailable) return Attempt::kRetry;
    throw;
  }
  if (!keep) {
    lease->exec("ROLLBACK");
    return Attempt::kRolledBack;
  }
  try {
    lease->exec("COMMIT");
  } catch (const StoreError& e) {
    if (e.is_retryable()) return Attempt::kRetry;  // the server rolled it back: nothing was written
    return Attempt::kLostAtCommit;
  }
  ++commits_;
  return Attempt::kCommitted;
}

Status PostgresDatabase::run_write(const std::function<bool(Connection&)>& job) {
  for (int attempt = 0;; ++attempt) {
    Attempt outcome = Attempt::kRetry;
    try {
      outcome = attempt_write(job);
    } catch (const StoreError& e) {
      if (e.kind() != StoreError::Kind::kUnavailable) throw;
      log_event(spdlog::level::warn, {{"event", "store_unavailable"}, {"detail", std::string_view(e.what())}});
    }
    switch (outcome) {
      case Attempt::kCommitted:
      case Attempt::kRolledBack:
        return {};
      case Attempt::kLostAtCommit:
        return unavailable("the store was lost while committing; the outcome is unknown");
      case Attempt::kRetry:
        break;
    }
    if (attempt + 1 >= limits::kStoreRetriesMax) return unavailable("the store is busy or unreachable; retry");
    ++retries_;
    backoff(attempt);
  }
}

}  // namespace essc::store
