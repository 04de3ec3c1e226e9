// Request nonces and rate windows in the shared PostgreSQL database, so that every essc
// process behind the balancer sees every claim: a signed request sent to two servers is
// accepted by exactly one (R-S2), and a client's quota is one quota (R-S4).
//
// A claim is one statement on a connection of its own pool, with synchronous_commit off:
// it needs uniqueness, not durability, so it waits for no fsync (ARCHITECTURE.md). The
// tables are logged, so they reach a standby and survive a restart; what a crash of the
// server may lose is the last fraction of a second of claims (wal_writer_delay), which
// docs/architecture.md weighs. Expired rows are purged by every process, a little at a
// time (purge()).
//
// Thread safety: all methods are safe from any thread.
#pragma once

#include "store/postgres_pool.hpp"
#include "store/request_nonces.hpp"

namespace essc::store {

class PostgresNonces final : public RequestNonces {
 public:
  PostgresNonces(const PostgresTarget& target, std::size_t pool_size);

  bool remembers(std::int64_t) const override { return true; }
  std::optional<std::int64_t> claim_and_count(std::string_view client_id, std::string_view nonce,
                                              std::int64_t now_ms, std::int64_t expires_at_ms,
                                              std::string_view counter_key,
                                              std::int64_t window_ms) override;
  PendingCount send_claim_and_count(std::string_view client_id, std::string_view nonce,
                                    std::int64_t now_ms, std::int64_t expires_at_ms,
                                    std::string_view counter_key, std::int64_t window_ms) override;
  // Deletes the nonces past their expiry and the rate windows over.
  void purge(std::int64_t now_ms, std::int64_t window_ms);

 private:
  PostgresPool pool_;
};

}  // namespace essc::store
