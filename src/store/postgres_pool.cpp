#include "store/postgres_pool.hpp"

#include <algorithm>
#include <chrono>

#include "common/assert.hpp"

namespace essc::store {

PostgresPool::PostgresPool(PostgresTarget target, std::size_t size, std::string session_settings)
    : target_(std::move(target)),
      size_(std::max<std::size_t>(1, size)),
      session_settings_(std::move(session_settings)) {}

std::unique_ptr<PostgresConnection> PostgresPool::connect() const {
  auto connection = std::make_unique<PostgresConnection>(target_);
  if (!session_settings_.empty()) connection->exec(session_settings_);
  return connection;
}

std::unique_ptr<PostgresConnection> PostgresPool::take_idle() {
  while (!idle_.empty()) {
    auto connection = std::move(idle_.back());
    idle_.pop_back();
    if (connection->still_alive()) return connection;
    forget_one();  // its server is gone: a new connection takes its place
  }
  return nullptr;
}

void PostgresPool::forget_one() {
  ESSC_INVARIANT(open_ > 0);
  --open_;
  check_counts();
}

void PostgresPool::check_counts() const { ESSC_INVARIANT(idle_.size() <= open_ && open_ <= size_); }

PostgresPool::Lease::Lease(PostgresPool& pool, std::int64_t wait_ms) : pool_(pool) {
  std::unique_lock lock(pool.mutex_);
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(wait_ms);
  const auto available = [&] { return !pool.idle_.empty() || pool.open_ < pool.size_; };
  if (!pool.returned_.wait_until(lock, deadline, available)) {
    throw StoreError(StoreError::Kind::kUnavailable, "no store connection free");
  }
  if ((connection_ = pool.take_idle())) return;
  ++pool.open_;
  pool.check_counts();
  lock.unlock();
  try {
    connection_ = pool.connect();
  } catch (...) {
    std::lock_guard relock(pool.mutex_);
    pool.forget_one();
    pool.returned_.notify_one();
    throw;
  }
}

PostgresPool::Lease::~Lease() {
  std::lock_guard lock(pool_.mutex_);
  if (connection_ && !discarded_ && connection_->healthy()) {
    pool_.idle_.push_back(std::move(connection_));
    pool_.check_counts();
  } else {
    pool_.forget_one();
  }
  pool_.returned_.notify_one();
}

}  // namespace essc::store
