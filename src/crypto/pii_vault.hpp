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
// Thread safety: const methods are safe from any number of threads at once.
// Invariants:
//   1. both keys are exactly kPiiKeyBytes long and are wiped on destruction;
//   2. open() accepts only what seal() produced under the same key and field;
//   3. field names never contain a NUL byte (the blind index's separator), so
//      (field, plaintext) pairs map to distinct HMAC inputs.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace essc::crypto {

inline constexpr std::size_t kPiiKeyBytes = 32;
inline constexpr std::size_t kPiiNonceBytes = 24;  // XChaCha20 nonce
inline constexpr std::size_t kPiiTagBytes = 16;    // Poly1305 tag
// What seal() adds to the plaintext's length.
inline constexpr std::size_t kPiiSealOverheadBytes = kPiiNonceBytes + kPiiTagBytes;

class PiiVault {
 public:
  // Throws std::invalid_argument when a key is not kPiiKeyBytes long.
  PiiVault(std::string encryption_key, std::string blind_index_key);
  ~PiiVault();
  PiiVault(const PiiVault&) = delete;
  PiiVault& operator=(const PiiVault&) = delete;

  // Raw bytes: nonce || ciphertext || tag. A fresh nonce each call, so sealing the same
  // value twice gives different bytes (use blind_index for equality).
  // REQUIRES: field holds no NUL byte (it is a column name such as "id_number").
  std::string seal(std::string_view field, std::string_view plaintext) const;

  // The plaintext, or nullopt if `sealed` is too short, was altered, was made under
  // another key or for another field.
  std::optional<std::string> open(std::string_view field, std::string_view sealed) const;

  // Raw 32 bytes, the same for the same (field, plaintext): stored beside the
  // ciphertext with a unique index for lookups and duplicate checks.
  // REQUIRES: field holds no NUL byte.
  std::string blind_index(std::string_view field, std::string_view plaintext) const;

 private:
  std::string encryption_key_;
  std::string blind_index_key_;
};

}  // namespace essc::crypto
