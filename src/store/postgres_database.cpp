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
    : target_(std::move(target)), pool_size_(std::max<std::size_t>(1, pool_size)) {
  auto first = std::make_unique<PostgresConnection>(target_);
  apply_migrations(*first, clock.now_ms());
  idle_.push_back(std::move(first));
  open_ = 1;
}

PostgresDatabase::~PostgresDatabase() = default;

PostgresDatabase::Lease::Lease(PostgresDatabase& db) : db_(db) {
  std::unique_lock lock(db.mutex_);
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(limits::kStorePoolWaitMs);
  while (db.idle_.empty() && db.open_ >= db.pool_size_) {
    if (db.returned_.wait_until(lock, deadline) == std::cv_status::timeout && db.idle_.empty() &&
        db.open_ >= db.pool_size_) {
      throw StoreError(StoreError::Kind::kUnavailable, "no store connection free");
    }
  }
  if (!db.idle_.empty()) {
    connection_ = std::move(db.idle_.back());
    db.idle_.pop_back();
    return;
  }
  ++db.open_;
  lock.unlock();
  try {
    connection_ = std::make_unique<PostgresConnection>(db.target_);
  } catch (...) {
    std::lock_guard relock(db.mutex_);
    --db.open_;
    db.returned_.notify_one();
    throw;
  }
}

PostgresDatabase::Lease::~Lease() {
  std::lock_guard lock(db_.mutex_);
  if (connection_ && connection_->healthy()) {
    db_.idle_.push_back(std::move(connection_));
  } else {
    --db_.open_;
  }
  db_.returned_.notify_one();
}

void PostgresDatabase::run_read(const std::function<void(Connection&)>& f) {
  Lease lease(*this);
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
  Lease lease(*this);
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
