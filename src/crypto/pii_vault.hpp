// PiiVault: encryption at rest and equality lookup for personal data (R-S5): ID
// numbers, phones, bank account numbers, and client secrets.
//
//   sealed      = nonce (24 random bytes) || XChaCha20-Poly1305-IETF(key, nonce,
//                                             plaintext, associated data = field)
//   blind_index = HMAC-SHA256(blind_index_key, field || 0x00 || plaintext)
//
// Why the field as associated data: a ciphertext copied into another column (a phone
// into the ID-number column) fails to open, so a database writer cannot make the
// platform reveal one field as another. Why XChaCha20: its 192-bit nonce can be drawn
// at random for every seal with no risk of reuse, so no nonce counter has to survive
// restarts. Why a separate blind-index key: the index allows equality lookups
// ("which person has this ID number?") without decrypting, and a leak of it does not
// expose the encryption key, nor the reverse.
//
// Rotation (R-S9): a new encryption key seals from the moment it is set; the keys it
// replaced stay, retired, to open what they sealed until re-sealing (reseal(), driven by
// services/pii_resealer.hpp) has sealed every field again under the new one. No key id
// is stored with a sealed value: open() tries the current key, then the retired ones,
// and the AEAD tag tells which one sealed it. The blind-index key does not rotate here
// (docs/architecture.md "Key rotation").
//
// Thread safety: every method is safe from any number of threads at once; a rotation
// (set_encryption_keys) is seen by the next seal or open on any thread.
// Invariants:
//   1. every key is exactly kPiiKeyBytes long and is wiped when no longer held;
//   2. open() accepts only what seal() produced under one of the keys held, for the
//      same field;
//   3. field names never contain a NUL byte (the blind index's separator), so
//      (field, plaintext) pairs map to distinct HMAC inputs.
#pragma once

#include <cstddef>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace essc::crypto {

inline constexpr std::size_t kPiiKeyBytes = 32;
inline constexpr std::size_t kPiiNonceBytes = 24;  // XChaCha20 nonce
inline constexpr std::size_t kPiiTagBytes = 16;    // Poly1305 tag
// What seal() adds to the plaintext's length.
inline constexpr std::size_t kPiiSealOverheadBytes = kPiiNonceBytes + kPiiTagBytes;

// A name of an encryption key that reveals nothing of it: 16 hex characters of
// HMAC-SHA256(key, "essc pii key id"), for logs, `essc keys status` and the store.
std::string pii_key_id(std::string_view encryption_key);

class PiiVault {
 public:
  // `retired_keys`: encryption keys that a rotation replaced, still needed to open what
  // they sealed. Throws std::invalid_argument when a key is not kPiiKeyBytes long.
  PiiVault(std::string encryption_key, std::string blind_index_key,
           std::vector<std::string> retired_keys = {});
  ~PiiVault();
  PiiVault(const PiiVault&) = delete;
  PiiVault& operator=(const PiiVault&) = delete;

  // A rotation, or the end of one (no retired keys left): seals from now on under
  // `encryption_key`. Throws std::invalid_argument, keeping the keys held, when a key
  // is not kPiiKeyBytes long.
  void set_encryption_keys(std::string encryption_key, std::vector<std::string> retired_keys);

  // Raw bytes: nonce || ciphertext || tag. A fresh nonce each call, so sealing the same
  // value twice gives different bytes (use blind_index for equality).
  // REQUIRES: field holds no NUL byte (it is a column name such as "id_number").
  std::string seal(std::string_view field, std::string_view plaintext) const;

  // The plaintext, or nullopt if `sealed` is too short, was altered, was made under
  // another key or for another field.
  std::optional<std::string> open(std::string_view field, std::string_view sealed) const;

  // What re-sealing makes of one sealed value: nothing to do when the current key sealed
  // it; `sealed` again under the current key when a retired key did; unreadable when no
  // key held opens it (altered, or sealed under a key no longer held).
  struct Resealed {
    enum class Outcome { kCurrent, kResealed, kUnreadable } outcome = Outcome::kCurrent;
    std::string sealed;  // with kResealed
  };
  Resealed reseal(std::string_view field, std::string_view sealed) const;

  // pii_key_id() of the current encryption key: re-sealing progress is kept under it.
  std::string key_id() const;
  // Whether a rotation's retired keys are still held.
  bool has_retired_keys() const;

  // Raw 32 bytes, the same for the same (field, plaintext): stored beside the
  // ciphertext with a unique index for lookups and duplicate checks.
  // REQUIRES: field holds no NUL byte.
  std::string blind_index(std::string_view field, std::string_view plaintext) const;

 private:
  // The encryption keys in force, immutable once made; a rotation replaces the whole.
  struct Keyring {
    Keyring(std::string current_key, std::vector<std::string> retired_keys);
    ~Keyring();
    Keyring(const Keyring&) = delete;
    Keyring& operator=(const Keyring&) = delete;
    std::string current;
    std::vector<std::string> retired;
  };
  std::shared_ptr<const Keyring> keyring() const;
  static std::optional<std::string> open_with(std::string_view key, std::string_view field,
                                              std::string_view sealed);

  mutable std::mutex mutex_;  // guards keyring_ (the pointer; the Keyring is immutable)
  std::shared_ptr<const Keyring> keyring_;
  std::string blind_index_key_;
};

}  // namespace essc::crypto
