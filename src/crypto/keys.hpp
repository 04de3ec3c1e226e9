// The platform's secret keys, as created by `essc init` (ARCHITECTURE.md "Security
// design"): the password pepper (R-W5), the PII vault key and the blind-index key
// (R-S5), and the Ed25519 keys that sign QR tokens.
//
// These are plain carriers between the key file (read and written elsewhere) and the
// classes that use the keys; PasswordHasher and PiiVault take their own copies and
// wipe them. Keep a KeySet only as long as start-up needs it.
//
// Thread safety: plain values; KeySet::generate is safe from any thread.
// Invariants (of a generated set): every secret is kSecretKeyBytes random bytes; each
// signing key's kid is unique ("ed-YYYYMMDD-" + 8 random hex characters), so a QR token
// names the key that verifies it and old keys stay verifiable after rotation.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace essc::crypto {

inline constexpr std::size_t kSecretKeyBytes = 32;
inline constexpr std::string_view kEd25519 = "Ed25519";
inline constexpr std::string_view kSm2 = "SM2";

struct SigningKey {
  std::string kid;        // e.g. "ed-20240601-3fa91c07"
  std::string algorithm;  // "Ed25519"
  std::string seed;       // Ed25519: the 32-byte seed; SM2: the PKCS#8 DER private key
  std::int64_t created_at_ms = 0;
  // 0 while the key may sign; else when a rotation replaced it (unix ms). A retired key
  // still verifies what it signed.
  std::int64_t retired_at_ms = 0;
};

// An audit log key that a rotation replaced (R-S9): its public half only, since it signs
// nothing any more (the seed is dropped at rotation, so a copy of the key file cannot sign
// a checkpoint in its name); kept to verify the checkpoints it signed.
struct RetiredAuditKey {
  std::string public_key;  // Ed25519, 32 bytes
  std::int64_t retired_at_ms = 0;
};

// A PII vault key that a rotation replaced (R-S9): kept whole, since it opens the fields
// it sealed, until re-sealing has sealed every one of them again under the current key;
// then the key file drops it.
struct RetiredPiiKey {
  std::string key;  // 32 raw bytes
  std::int64_t retired_at_ms = 0;
};

struct KeySet {
  std::string password_pepper;                  // 32 raw bytes (R-W5)
  std::string pii_key;                          // 32 raw bytes (R-S5)
  std::vector<RetiredPiiKey> retired_pii_keys;  // oldest first; rotation appends
  std::string blind_index_key;                  // 32 raw bytes (R-S5)
  std::vector<SigningKey> qr_signing_keys;      // newest last; rotation appends
  std::string audit_log_seed;                   // Ed25519 seed signing the log's checkpoints (R-S6)
  std::vector<RetiredAuditKey> retired_audit_keys;  // oldest first; rotation appends

  // Fresh random keys, an SM2 and an Ed25519 signing key created at `now_ms` (unix ms,
  // UTC): either algorithm can be chosen in the config without new keys.
  static KeySet generate(std::int64_t now_ms);
};

// A new Ed25519 signing key with a fresh seed, its kid dated `now_ms` in UTC: for
// generate() and for key rotation.
SigningKey generate_signing_key(std::int64_t now_ms);
// A new SM2 signing key ("sm-YYYYMMDD-…"), for GM/T deployments.
SigningKey generate_sm2_signing_key(std::int64_t now_ms);

}  // namespace essc::crypto
