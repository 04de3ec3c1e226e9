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
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(wait_ms);
  std::unique_lock lock(pool.mutex_);
  // Waiters come first: a connection is theirs as soon as it is free.
  if (pool.waiters_.empty() && (connection_ = pool.take_idle())) return;
  if (pool.waiters_.empty() && pool.open_ < pool.size_) {
    ++pool.open_;
    pool.check_counts();
    open_one(lock);
    return;
  }
  wait_for_one(lock, deadline);
}

void PostgresPool::Lease::wait_for_one(std::unique_lock<std::mutex>& lock, Deadline deadline) {
  auto waiter = std::make_shared<Waiter>();
  // Queued under the mutex the caller holds, which is let go only then: a lease ending
  // meanwhile finds this waiter.
  wait_until(
      [&](Resume resume) {
        waiter->resume = std::move(resume);
        pool_.waiters_.push_back(waiter);
        lock.unlock();
      },
      deadline);
  lock.lock();
  if (waiter->connection) {
    connection_ = std::move(waiter->connection);
  } else if (waiter->may_open) {
    open_one(lock);
  } else {
    std::erase(pool_.waiters_, waiter);
    throw StoreError(StoreError::Kind::kUnavailable, "no store connection free");
  }
}

void PostgresPool::Lease::open_one(std::unique_lock<std::mutex>& lock) {
  lock.unlock();
  try {
    connection_ = pool_.connect();
  } catch (...) {
    Resume next;
    {
      std::lock_guard relock(pool_.mutex_);
      next = pool_.hand_on(nullptr);
    }
    if (next) next();
    throw;
  }
}

PostgresPool::Lease::~Lease() {
  if (connection_) {
    pool_.round_trips_.fetch_add(connection_->take_round_trips(), std::memory_order_relaxed);
  }
  if (discarded_ || (connection_ && !connection_->healthy())) connection_.reset();
  Resume next;
  {
    std::lock_guard lock(pool_.mutex_);
    next = pool_.hand_on(std::move(connection_));
  }
  if (next) next();
}

Resume PostgresPool::hand_on(std::unique_ptr<PostgresConnection> connection) {
  if (!waiters_.empty()) {
    auto waiter = std::move(waiters_.front());
    waiters_.pop_front();
    waiter->connection = std::move(connection);
    waiter->may_open = waiter->connection == nullptr;  // in place of the one closed
    return std::move(waiter->resume);
  }
  if (connection) {
    idle_.push_back(std::move(connection));
    check_counts();
  } else {
    forget_one();
  }
  return {};
}

}  // namespace essc::store
