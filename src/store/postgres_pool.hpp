// A bounded pool of PostgreSQL connections for one process: a lease takes an idle one or
// opens a new one up to the pool's size, waiting at most limits::kStorePoolWaitMs for one
// to come back; a connection the server dropped is closed, not pooled again. Idle ones
// are checked before use, so after a failover the dead ones go and new ones are opened
// through the (multi-host) URL, which finds the new primary.
//
// Waiting leases queue in order and wait as common/wait.hpp says: a handler's fiber is
// suspended, not its thread, which may be running the very fibers that hold the
// connections. A lease that ends hands its connection (or, if it closed it, the right to
// open one) to the longest waiter, so no newcomer takes it first.
//
// Thread safety: leases may be taken from any thread; each is used by one thread.
#pragma once

#include <atomic>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "common/limits.hpp"
#include "common/wait.hpp"
#include "store/postgres.hpp"

namespace essc::store {

class PostgresPool {
 public:
  // `session_settings`: SQL run on every new connection (e.g. a SET).
  PostgresPool(PostgresTarget target, std::size_t size, std::string session_settings = {});

  class Lease {
   public:
    // Throws StoreError (unavailable) when no connection can be had within `wait_ms`.
    explicit Lease(PostgresPool& pool, std::int64_t wait_ms = limits::kStorePoolWaitMs);
    ~Lease();
    Lease(const Lease&) = delete;
    Lease& operator=(const Lease&) = delete;
    PostgresConnection& operator*() { return *connection_; }
    PostgresConnection* operator->() { return connection_.get(); }
    // Closes the connection when the lease ends instead of pooling it: it answered as a
    // standby (read-only) or otherwise cannot serve writes any more.
    void discard() { discarded_ = true; }

   private:
    // Waits for a connection handed over, until `deadline`; takes it or the place to open
    // one. Throws StoreError (unavailable) when none came.
    void wait_for_one(std::unique_lock<std::mutex>& lock, Deadline deadline);
    void open_one(std::unique_lock<std::mutex>& lock);
    PostgresPool& pool_;
    std::unique_ptr<PostgresConnection> connection_;
    bool discarded_ = false;
  };

  const PostgresTarget& target() const { return target_; }
  // Round trips waited for on the pool's connections, counted as each lease ends.
  std::uint64_t round_trips() const { return round_trips_.load(std::memory_order_relaxed); }

 private:
  std::unique_ptr<PostgresConnection> connect() const;
  // An idle connection that still answers, or null; drops the dead ones. Holds mutex_.
  std::unique_ptr<PostgresConnection> take_idle();
  // One connection fewer open (closed, or never opened). Holds mutex_.
  void forget_one();
  // The counts' invariant: idle ≤ open ≤ size. Holds mutex_.
  void check_counts() const;

  // A lease waiting for a connection, until one is handed to it.
  struct Waiter {
    Resume resume;
    std::unique_ptr<PostgresConnection> connection;  // handed over
    bool may_open = false;                           // handed over: a place to open one
  };
  // Passes what a lease gave up (a connection, or null for its place) to the longest
  // waiter and answers its resume(), to be called without the mutex; or pools it. Holds
  // mutex_.
  Resume hand_on(std::unique_ptr<PostgresConnection> connection);

  PostgresTarget target_;
  std::size_t size_;
  std::string session_settings_;
  std::mutex mutex_;
  std::deque<std::shared_ptr<Waiter>> waiters_;
  std::vector<std::unique_ptr<PostgresConnection>> idle_;
  std::size_t open_ = 0;  // leased, being opened and idle
  std::atomic<std::uint64_t> round_trips_{0};
};

}  // namespace essc::store
