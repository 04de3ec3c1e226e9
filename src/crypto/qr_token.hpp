// Dynamic QR tokens (R-U2) in two forms, both verifiable offline with the public key
// GET /v1/keys lists (docs/qr-token.md says each byte by byte):
//
// ESSC1: `ESSC1.<base64url(payload)>.<base64url(signature)>`. The signature is over the
// ASCII bytes of `ESSC1.<base64url(payload)>` (the token up to, not including, its last
// dot): Ed25519 by default, or SM2 with SM3 (DER r,s) where GM/T algorithms are required;
// an institution verifies it with the key of the payload's `kid`.
// The payload is compact JSON with exactly these members:
//   {"v":1,"kid":…,"jti":…,"sub":…,"pur":"identity"|"payment","iat":…,"exp":…,"ref":…}
// jti: 128-bit random token id (base64url); sub: a pseudonym of the binding that says
// nothing about the person; iat/exp: Unix seconds; ref: what the platform needs to
// consume the code (its binding, a family member), enciphered so that only the platform
// reads it (qr_reference_cipher). No personal data.
//
// compact: `EC1:<base45(claims ‖ signature)>`, every character in the QR alphanumeric
// set, so the code is a version-7 symbol at level M instead of version 14. The claims are
// binary (header, key id, iat, lifetime, a 96-bit jti, ref) and the signature is over
// `EC1:` ‖ claims: 64 bytes of Ed25519, or SM2's r ‖ s (32 bytes each) rather than DER.
// It has no `sub`: the jti is as unlinkable and identifies the code as well.
//
// Why the code carries its binding: issuing one then writes nothing, and consuming one
// needs no row of the issuance (docs/architecture.md "QR codes").
//
// Thread safety: sign, verify and public_keys from any thread; reload() (a key rotation,
// R-S9) swaps the whole key set at once, so each call sees the old set or the new one.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.hpp"
#include "crypto/keys.hpp"

namespace essc::crypto {

inline constexpr std::string_view kQrTokenPrefix = "ESSC1.";
inline constexpr std::string_view kQrCompactPrefix = "EC1:";
// A compact code's token id is 96 random bits (ESSC1's 128): the four bytes saved are
// what a family member's code needs to stay a version-7 symbol, and 2⁹⁶ ids leave no
// collision among the codes alive at once (each lives a minute).
inline constexpr std::size_t kQrCompactTokenIdBytes = 12;

enum class QrFormat { kEssc1, kCompact };
// An Ed25519 signature is 64 bytes and an SM2 one (DER) at most 72: a token whose
// signature decodes to more is refused before any key is tried.
inline constexpr std::size_t kQrSignatureBytesMax = 128;

struct QrClaims {
  std::string kid;
  std::string token_id;  // base64url of its random bytes
  std::string subject;   // empty in the compact form
  std::string purpose;
  std::int64_t issued_at_s = 0;
  std::int64_t expires_at_s = 0;
  std::string reference;  // raw bytes, enciphered by the platform; opaque to readers
};

// The key stream cipher of a code's `reference`: XChaCha20 under `key` (32 bytes) with a
// nonce drawn from the code's own token id, so no two codes share a key stream. It hides
// the binding from whoever reads the code; integrity is the token's signature, which
// covers the enciphered bytes. The same call enciphers and deciphers.
// REQUIRES: key.size() == 32; token_id is unique per code (128 random bits).
std::string qr_reference_cipher(std::string_view key, std::string_view token_id,
                                std::string_view bytes);

struct QrPublicKey {
  std::string kid;
  std::string algorithm;
  std::string public_key;  // Ed25519: raw 32 bytes; SM2: DER SubjectPublicKeyInfo
  std::int64_t created_at_ms = 0;
  std::int64_t retired_at_ms = 0;  // 0: not retired
};

class QrSigner {
 public:
  // The last key of `algorithm` ("Ed25519" or "SM2") not retired signs (the last of that
  // algorithm if all are); every key verifies (rotation keeps old codes verifiable).
  // Throws std::invalid_argument without a key of that algorithm or with a key that
  // cannot be read.
  explicit QrSigner(const std::vector<SigningKey>& keys, std::string_view algorithm = kEd25519);
  ~QrSigner();
  QrSigner(const QrSigner&) = delete;
  QrSigner& operator=(const QrSigner&) = delete;

  // Sets claims.kid to the signing key's and returns the token in `format`.
  // REQUIRES for kCompact: token_id is the base64url of kQrCompactTokenIdBytes bytes,
  // purpose "identity" or "payment", 0 <= issued_at_s < 2³², 0 <= lifetime <= 255 s.
  std::string sign(QrClaims claims, QrFormat format = QrFormat::kEssc1) const;
  // The claims of a well-formed token of either form signed by one of our keys;
  // QR_INVALID otherwise (malformed, unknown key, bad signature). Expiry and single use
  // are the caller's.
  Result<QrClaims> verify(std::string_view token) const;
  std::vector<QrPublicKey> public_keys() const;
  std::string signing_kid() const;
  // The key file again after a rotation: the same rules as the constructor, the same
  // algorithm. Throws std::invalid_argument as it does, keeping the keys it had.
  void reload(const std::vector<SigningKey>& keys);

  // The platform's signature over other statements it makes (the audit checkpoints).
  // REQUIRES: `statement` starts with neither kQrTokenPrefix nor kQrCompactPrefix, so
  // that no statement can pass for a QR code.
  struct Signature {
    std::string kid;
    std::string bytes;
  };
  Signature sign_statement(std::string_view statement) const;
  bool verify_statement(std::string_view kid, std::string_view statement,
                        std::string_view signature) const;

 private:
  struct Key {
    std::string kid;
    std::string algorithm;
    std::string public_key;
    std::string secret_key;  // Ed25519: 64 bytes, libsodium's layout; SM2: PKCS#8 DER
    std::int64_t created_at_ms;
    std::int64_t retired_at_ms;
    std::string compact_id;  // how a compact token names it: SHA-256(public_key)[0..4)
  };
  // One key set; its secrets are wiped when the last call using it ends.
  struct Ring {
    std::vector<Key> keys;
    std::size_t signing_key = 0;
    ~Ring();
  };
  static std::shared_ptr<const Ring> make_ring(const std::vector<SigningKey>& keys,
                                               std::string_view algorithm);
  static const Key* find(const Ring& ring, std::string_view kid);
  std::string sign_with(const Key& key, std::string_view message) const;
  static bool verifies(const Key& key, std::string_view message, std::string_view signature);
  std::string sign_compact(const Key& key, const QrClaims& claims) const;
  Result<QrClaims> verify_compact(std::string_view token) const;

  std::string algorithm_;
  std::atomic<std::shared_ptr<const Ring>> ring_;
};

}  // namespace essc::crypto
