#include "store/nonce_store.hpp"

namespace essc::store {
namespace {

constexpr char kSchema[] =
    "CREATE TABLE IF NOT EXISTS request_nonces (client_id TEXT NOT NULL, nonce TEXT NOT NULL, "
    "expires_at_ms BIGINT NOT NULL, PRIMARY KEY (client_id, nonce))";
constexpr char kClaim[] =
    "INSERT INTO request_nonces (client_id, nonce, expires_at_ms) VALUES (?, ?, ?) "
    "ON CONFLICT (client_id, nonce) DO UPDATE SET expires_at_ms = excluded.expires_at_ms "
    "WHERE request_nonces.expires_at_ms <= ?";
constexpr char kPurge[] = "DELETE FROM request_nonces WHERE expires_at_ms <= ?";
constexpr char kCounterSchema[] =
    "CREATE TABLE IF NOT EXISTS rate_counters (counter_key TEXT PRIMARY KEY, window_start_ms BIGINT NOT NULL, "
    "hits BIGINT NOT NULL)";
constexpr char kCount[] =
    "INSERT INTO rate_counters (counter_key, window_start_ms, hits) VALUES (?, ?, 1) "
    "ON CONFLICT (counter_key) DO UPDATE SET hits = CASE WHEN rate_counters.window_start_ms = "
    "excluded.window_start_ms THEN rate_counters.hits + 1 ELSE 1 END, window_start_ms = excluded.window_start_ms "
    "RETURNING hits";

// Expired rows are deleted every this many claims: often enough to keep the table near
// (request rate × window) rows, rarely enough to cost nothing per request.
constexpr std::uint32_t kClaimsPerPurge = 1024;

}  // namespace

NonceStore::NonceStore(const std::string& path) : connection_(path, /*synchronous_full=*/false) {
  connection_.exec(kSchema);
  connection_.exec(kCounterSchema);
}

std::optional<std::int64_t> NonceStore::claim_and_count(std::string_view client_id, std::string_view nonce,
                                                         std::int64_t now_ms, std::int64_t expires_at_ms,
                                                         std::string_view counter_key, std::int64_t window_ms) {
  std::lock_guard lock(mutex_);
  connection_.exec("BEGIN IMMEDIATE");
  try {
    if (++claims_since_purge_ >= kClaimsPerPurge) {
      claims_since_purge_ = 0;
      connection_.prepare(kPurge).bind_all(now_ms).run();
    }
    connection_.prepare(kClaim).bind_all(client_id, nonce, expires_at_ms, now_ms).run();
    std::optional<std::int64_t> hits;
    if (connection_.changes() == 1) {
      const std::int64_t window_start = now_ms - now_ms % window_ms;
      hits = connection_.prepare(kCount).bind_all(counter_key, window_start).first([](const Statement& s) {
        return s.int64(0);
      }).value_or(1);
    }
    connection_.exec("COMMIT");
    return hits;
  } catch (...) {
    connection_.exec("ROLLBACK");
    throw;
  }
}

}  // namespace essc::store
