// A bounded pool of PostgreSQL connections for one process: a lease takes an idle one or
// opens a new one up to the pool's size, waiting at most limits::kStorePoolWaitMs for one
// to come back; a connection the server dropped is closed, not pooled again.
//
// Thread safety: leases may be taken from any thread; each is used by one thread.
#pragma once

#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "store/postgres.hpp"

namespace essc::store {

class PostgresPool {
 public:
  // `session_settings`: SQL run on every new connection (e.g. a SET).
  PostgresPool(PostgresTarget target, std::size_t size, std::string session_settings = {});

  class Lease {
   public:
    // Throws StoreError (unavailable) when no connection can be had in time.
    explicit Lease(PostgresPool& pool);
    ~Lease();
    Lease(const Lease&) = delete;
    Lease& operator=(const Lease&) = delete;
    PostgresConnection& operator*() { return *connection_; }
    PostgresConnection* operator->() { return connection_.get(); }

   private:
    PostgresPool& pool_;
    std::unique_ptr<PostgresConnection> connection_;
  };

  const PostgresTarget& target() const { return target_; }

 private:
  std::unique_ptr<PostgresConnection> connect() const;

  PostgresTarget target_;
  std::size_t size_;
  std::string session_settings_;
  std::mutex mutex_;
  std::condition_variable returned_;
  std::vector<std::unique_ptr<PostgresConnection>> idle_;
  std::size_t open_ = 0;
};

}  // namespace essc::store
