// Re-sealing every sealed field after a rotation of the PII vault key (R-S9), in the
// background of every server: one batch of limits::kPiiResealBatchRows rows per call of
// run_once() (`essc serve` calls it every limits::kPiiResealPeriodMs, which is the
// throttle), resumable and shared between servers through the store
// (store/pii_reseal_repository.hpp).
//
// It begins limits::kPiiResealGraceMs after the rotation, when every server of the
// folder seals under the new key (each reads its key file every limits::kKeyFileWatchMs),
// so that no row written under the old key can appear behind the walk. When run_once()
// answers done, the caller drops the retired key from the key file (cli/keys.hpp).
//
// Thread safety: every method from any thread; run_once() from one thread at a time.
#pragma once

#include <atomic>
#include <cstdint>
#include <string>

#include "common/clock.hpp"
#include "crypto/pii_vault.hpp"
#include "store/database.hpp"

namespace essc::services {

class PiiResealer {
 public:
  PiiResealer(const Clock& clock, store::Database& db, const crypto::PiiVault& vault)
      : clock_(clock), db_(db), vault_(vault) {}

  // When the vault's current key replaced the one before (unix ms); 0 when no rotation
  // is under way. Set again on every read of the key file.
  void set_rotated_at(std::int64_t at_ms) { rotated_at_ms_.store(at_ms); }

  // One batch, if a rotation is under way and its grace has passed. true, once per key,
  // when every sealed field is under the current key: the retired key may go.
  bool run_once();

  // Prometheus text: rows walked and values re-sealed or unreadable since start, and
  // whether a retired key is still held.
  std::string render() const;

 private:
  const Clock& clock_;
  store::Database& db_;
  const crypto::PiiVault& vault_;
  std::atomic<std::int64_t> rotated_at_ms_{0};
  std::atomic<std::int64_t> checked_{0};
  std::atomic<std::int64_t> resealed_{0};
  std::atomic<std::int64_t> unreadable_{0};
  // run_once()'s thread only: the key re-sealing last finished under, and when to try
  // again after a batch the store refused.
  std::string done_key_id_;
  std::int64_t retry_at_ms_ = 0;
};

}  // namespace essc::services
