// PasswordHasher: stores e-card passwords and card PINs as Argon2id hashes of a
// peppered value (R-W5).
//
//   stored = Argon2id(hex(HMAC-SHA256(pepper, password)))   ("$argon2id$v=19$m=…")
//
// Why the pepper: a 6-digit PIN has only 10^6 values; Argon2id alone slows a search of
// a stolen database but cannot stop it. The pepper is a server secret kept in the key
// file, never in the database, so a dump alone gives nothing to test guesses against
// (R-W5 "a 6-digit space must not be offline-searchable from a database dump alone").
// The HMAC is hex-encoded so Argon2 receives text without NULs, of a fixed 64 bytes.
//
// Why the cap: each Argon2id call holds `memory_kib` of memory (19 MiB by default) for
// tens of milliseconds. At most `concurrent_hashes_max` hashes and verifies run at once;
// further callers wait until a slot frees (a handler's fiber suspended, its worker free
// for other requests: common/waiting_slots.hpp), so a flood of logins queues instead of
// exhausting memory or the worker pool (ARCHITECTURE.md "Threads and the request path").
// Callers run this on the worker pool, never on an I/O thread.
//
// Thread safety: every const method may be called from any number of threads at once.
// Invariants:
//   1. the pepper is at least kPepperBytesMin bytes and is wiped on destruction;
//   2. at most params.concurrent_hashes_max Argon2id computations run at any moment;
//   3. hash() only ever produces "$argon2id$" strings, and verify() only accepts them.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "common/waiting_slots.hpp"

namespace essc::crypto {

// A pepper shorter than this could itself be guessed, which would reopen the offline
// search R-W5 forbids; KeySet::generate makes 32 bytes.
inline constexpr std::size_t kPepperBytesMin = 16;
// Far above any sensible setting (each slot may hold `memory_kib`); a bound so a typo
// in the config cannot lift the memory cap altogether.
inline constexpr int kConcurrentHashesMaxLimit = 1024;

// OWASP's 2023 minimum for Argon2id: 2 passes over 19 MiB (≈40 hashes/s/core here). The
// server's defaults (essc.toml [security]) and the load generator's reference hash.
inline constexpr std::uint64_t kArgon2OpsLimitDefault = 2;
inline constexpr std::uint64_t kArgon2MemoryKibDefault = std::uint64_t{19} * 1024;

struct Argon2Params {
  std::uint64_t ops_limit = kArgon2OpsLimitDefault;
  std::uint64_t memory_kib = kArgon2MemoryKibDefault;
  // Argon2id computations allowed at once; memory in use stays ≤ this × memory_kib.
  int concurrent_hashes_max = 2;
};

class PasswordHasher {
 public:
  // Throws std::invalid_argument when the pepper is shorter than kPepperBytesMin or a
  // parameter is outside libsodium's Argon2id bounds (a configuration error, caught at
  // start-up).
  PasswordHasher(std::string pepper, Argon2Params params);
  ~PasswordHasher();
  PasswordHasher(const PasswordHasher&) = delete;
  PasswordHasher& operator=(const PasswordHasher&) = delete;

  // The encoded "$argon2id$…" string with a fresh random salt, to store as is.
  // Blocks while all slots are busy. Throws std::runtime_error only if libsodium could
  // not allocate the Argon2 memory.
  std::string hash(std::string_view password) const;

  // True when `password` is the one `encoded` was made from with this pepper. False for
  // a wrong password, another pepper, or an encoded string that is malformed or not
  // Argon2id. Blocks while all slots are busy (a malformed string is refused first,
  // without waiting).
  bool verify(std::string_view encoded, std::string_view password) const;

  // True when `encoded` was made with other parameters than this hasher's (or is
  // malformed): the caller re-hashes after the next successful verify.
  bool needs_rehash(std::string_view encoded) const;

  // Test hook: the most Argon2id computations ever observed running at once.
  int peak_concurrent_hashes() const { return peak_in_flight_.load(); }
  // Test hook: how many verify() calls ran Argon2id, so a test can count the password
  // checks a burst of requests obtained (R-W4).
  std::uint64_t verifications_run() const { return verifications_run_.load(); }

 private:
  class Slot;

  std::string peppered(std::string_view password) const;

  std::string pepper_;
  Argon2Params params_;
  mutable WaitingSlots slots_;
  mutable std::atomic<int> in_flight_{0};
  mutable std::atomic<int> peak_in_flight_{0};
  mutable std::atomic<std::uint64_t> verifications_run_{0};
};

}  // namespace essc::crypto
