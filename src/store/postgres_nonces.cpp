#include "store/postgres_nonces.hpp"

#include <memory>

namespace essc::store {
namespace {

// One round trip: the nonce is taken (or an expired one taken again) and only then is the
// request counted; no row back means a replay.
constexpr char kClaimAndCount[] =
    "WITH claimed AS ("
    " INSERT INTO request_nonces (client_id, nonce, expires_at_ms) VALUES (?, ?, ?)"
    " ON CONFLICT (client_id, nonce) DO UPDATE SET expires_at_ms = excluded.expires_at_ms"
    " WHERE request_nonces.expires_at_ms <= ? RETURNING 1)"
    " INSERT INTO rate_windows (counter_key, window_start_ms, hits) SELECT ?, ?, 1 FROM claimed"
    " ON CONFLICT (counter_key, window_start_ms) DO UPDATE SET hits = rate_windows.hits + 1"
    " RETURNING hits";
constexpr char kPurgeNonces[] = "DELETE FROM request_nonces WHERE expires_at_ms <= ?";
constexpr char kPurgeWindows[] = "DELETE FROM rate_windows WHERE window_start_ms < ?";

// A claim sent and not yet answered, with the connection it holds. An answer nobody took
// (the request failed meanwhile) is read before the connection goes back to the pool.
struct ClaimInFlight {
  explicit ClaimInFlight(PostgresPool& pool) : lease(pool) {}
  ~ClaimInFlight() {
    if (statement != nullptr) statement->reset();
  }
  ClaimInFlight(const ClaimInFlight&) = delete;
  ClaimInFlight& operator=(const ClaimInFlight&) = delete;

  PostgresPool::Lease lease;
  PostgresStatement* statement = nullptr;
};

std::int64_t count_of(const Statement& s) { return s.int64(0); }

}  // namespace

PostgresNonces::PostgresNonces(const PostgresTarget& target, std::size_t pool_size)
    : pool_(target, pool_size, "SET synchronous_commit = off") {}

std::optional<std::int64_t> PostgresNonces::claim_and_count(
    std::string_view client_id, std::string_view nonce, std::int64_t now_ms,
    std::int64_t expires_at_ms, std::string_view counter_key, std::int64_t window_ms) {
  return send_claim_and_count(client_id, nonce, now_ms, expires_at_ms, counter_key, window_ms)();
}

RequestNonces::PendingCount PostgresNonces::send_claim_and_count(
    std::string_view client_id, std::string_view nonce, std::int64_t now_ms,
    std::int64_t expires_at_ms, std::string_view counter_key, std::int64_t window_ms) {
  auto flight = std::make_shared<ClaimInFlight>(pool_);
  const auto window_start_ms = now_ms - now_ms % window_ms;
  auto& statement = flight->lease->prepare(kClaimAndCount);
  statement.bind_all(client_id, nonce, expires_at_ms, now_ms, counter_key, window_start_ms);
  statement.send();
  flight->statement = &statement;
  return [flight] { return flight->statement->first(count_of); };
}

void PostgresNonces::purge(std::int64_t now_ms, std::int64_t window_ms) {
  PostgresPool::Lease c(pool_);
  c->prepare(kPurgeNonces).bind_all(now_ms).run();
  c->prepare(kPurgeWindows).bind_all(now_ms - now_ms % window_ms - window_ms).run();
}

}  // namespace essc::store
