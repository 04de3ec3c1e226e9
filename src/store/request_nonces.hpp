// Where signed requests' single-use nonces (R-S2) and clients' rate windows (R-S4) are
// kept: in the process with a journal (store/nonce_store.hpp) for the embedded store, or
// in the shared PostgreSQL database (store/postgres_nonces.hpp) so that several servers
// accept a signed request exactly once between them.
//
// Thread safety: both methods are safe from any thread.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string_view>

namespace essc::store {

class RequestNonces {
 public:
  virtual ~RequestNonces() = default;

  // Whether every nonce signed with this timestamp (seconds) that was claimed at all is
  // still known here; a request whose nonce may have been forgotten must be refused.
  virtual bool remembers(std::int64_t timestamp_s) const = 0;

  // Records the nonce for the client until expires_at_ms and, when it is fresh, counts
  // one request of `counter_key` in the fixed window of `window_ms` containing now_ms.
  // Returns the count so far in that window (1 for the first), or nullopt when the nonce
  // was already recorded and has not expired (a replay; nothing is counted). Throws when
  // the nonce cannot be recorded (the request must not be answered).
  virtual std::optional<std::int64_t> claim_and_count(std::string_view client_id,
                                                      std::string_view nonce, std::int64_t now_ms,
                                                      std::int64_t expires_at_ms,
                                                      std::string_view counter_key,
                                                      std::int64_t window_ms) = 0;

  // claim_and_count()'s answer, taken later: the claim is on its way when this returns
  // and calling the result waits for its answer, so that a request's reads overlap it.
  // Throws as claim_and_count() does, from either. Here it is answered at once; on
  // PostgreSQL it is a statement in flight on a connection of its own.
  using PendingCount = std::function<std::optional<std::int64_t>()>;
  virtual PendingCount send_claim_and_count(std::string_view client_id, std::string_view nonce,
                                            std::int64_t now_ms, std::int64_t expires_at_ms,
                                            std::string_view counter_key, std::int64_t window_ms) {
    auto counted = claim_and_count(client_id, nonce, now_ms, expires_at_ms, counter_key, window_ms);
    return [counted] { return counted; };
  }
};

}  // namespace essc::store
