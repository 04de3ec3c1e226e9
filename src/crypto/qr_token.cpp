#include "crypto/qr_token.hpp"

#include <sodium.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>
#include <optional>
#include <stdexcept>

#include "crypto/encoding.hpp"
#include "crypto/hash.hpp"
#include "crypto/sm2.hpp"
#include "crypto/sodium.hpp"

namespace essc::crypto {
namespace {

// A token is read only when it is this size at most: a QR code of ours is ~250 bytes.
constexpr std::size_t kTokenBytesMax = 1024;

Error invalid(std::string detail) { return Error(ErrorCode::kQrInvalid, std::move(detail)); }

// The compact form's claims (docs/qr-token.md "The compact form"), big-endian:
//   [0]       header: the format version (1) in the high four bits, the purpose below
//   [1, 5)    key id: the first four bytes of SHA-256 of the key as /v1/keys lists it
//   [5, 9)    iat, Unix seconds
//   [9]       lifetime, seconds: exp − iat
//   [10, 22)  jti, kQrCompactTokenIdBytes random bytes
//   [22, …)   ref, the rest up to the signature
// then the 64-byte signature.
constexpr unsigned kCompactVersion = 1;
constexpr unsigned kCompactIdentity = 1;
constexpr unsigned kCompactPayment = 2;
constexpr std::size_t kCompactKeyIdAt = 1;
constexpr std::size_t kCompactKeyIdBytes = 4;
constexpr std::size_t kCompactIssuedAt = 5;
constexpr std::size_t kCompactLifetimeAt = 9;
constexpr std::size_t kCompactTokenIdAt = 10;
constexpr std::size_t kCompactReferenceAt = kCompactTokenIdAt + kQrCompactTokenIdBytes;
constexpr std::size_t kCompactSignatureBytes = 64;
constexpr std::int64_t kCompactLifetimeMax = 255;
static_assert(kCompactSignatureBytes == kSm2RawSignatureBytes);
static_assert(kCompactSignatureBytes == crypto_sign_BYTES);

std::string compact_key_id(std::string_view public_key) {
  return sha256(public_key).substr(0, kCompactKeyIdBytes);
}

}  // namespace

QrSigner::QrSigner(const std::vector<SigningKey>& keys, std::string_view algorithm)
    : algorithm_(algorithm), ring_(make_ring(keys, algorithm)) {}

void QrSigner::reload(const std::vector<SigningKey>& keys) {
  ring_.store(make_ring(keys, algorithm_));
}

std::shared_ptr<const QrSigner::Ring> QrSigner::make_ring(const std::vector<SigningKey>& keys,
                                                          std::string_view algorithm) {
  initialize_sodium();
  auto ring = std::make_shared<Ring>();
  std::optional<std::size_t> signer;
  std::optional<std::size_t> retired_signer;
  for (const auto& k : keys) {
    if (k.algorithm == kEd25519 && k.seed.size() == crypto_sign_SEEDBYTES) {
      Key key{k.kid,
              k.algorithm,
              std::string(crypto_sign_PUBLICKEYBYTES, '\0'),
              std::string(crypto_sign_SECRETKEYBYTES, '\0'),
              k.created_at_ms,
              k.retired_at_ms,
              {}};
      crypto_sign_seed_keypair(reinterpret_cast<unsigned char*>(key.public_key.data()),
                               reinterpret_cast<unsigned char*>(key.secret_key.data()),
                               reinterpret_cast<const unsigned char*>(k.seed.data()));
      key.compact_id = compact_key_id(key.public_key);
      ring->keys.push_back(std::move(key));
    } else if (k.algorithm == kSm2) {
      auto public_der = sm2_public_der(k.seed);
      if (!public_der)
        throw std::invalid_argument("QR signing key " + k.kid + " is not a readable SM2 key");
      auto id = compact_key_id(*public_der);
      ring->keys.push_back(Key{k.kid, k.algorithm, std::move(*public_der), k.seed, k.created_at_ms,
                               k.retired_at_ms, std::move(id)});
    } else {
      throw std::invalid_argument("QR signing key " + k.kid + " has an unknown algorithm");
    }
    if (ring->keys.back().algorithm != algorithm) continue;
    (k.retired_at_ms == 0 ? signer : retired_signer) = ring->keys.size() - 1;
  }
  if (!signer) signer = retired_signer;
  if (!signer) throw std::invalid_argument("no " + std::string(algorithm) + " QR signing key");
  ring->signing_key = *signer;
  return ring;
}

QrSigner::Ring::~Ring() {
  for (auto& key : keys) sodium_memzero(key.secret_key.data(), key.secret_key.size());
}

QrSigner::~QrSigner() = default;

const QrSigner::Key* QrSigner::find(const Ring& ring, std::string_view kid) {
  for (const auto& key : ring.keys) {
    if (key.kid == kid) return &key;
  }
  return nullptr;
}

std::string QrSigner::signing_kid() const {
  const auto ring = ring_.load();
  return ring->keys[ring->signing_key].kid;
}

std::string QrSigner::sign(QrClaims claims, QrFormat format) const {
  const auto ring = ring_.load();
  const auto& key = ring->keys[ring->signing_key];
  claims.kid = key.kid;
  if (format == QrFormat::kCompact) return sign_compact(key, claims);
  const boost::json::object payload{{"v", 1},
                                    {"kid", claims.kid},
                                    {"jti", claims.token_id},
                                    {"sub", claims.subject},
                                    {"pur", claims.purpose},
                                    {"iat", claims.issued_at_s},
                                    {"exp", claims.expires_at_s},
                                    {"ref", to_base64url(claims.reference)}};
  std::string signed_part =
      std::string(kQrTokenPrefix) + to_base64url(boost::json::serialize(payload));
  const auto signature = sign_with(key, signed_part);
  return signed_part + "." + to_base64url(signature);
}

std::string QrSigner::sign_compact(const Key& key, const QrClaims& claims) const {
  const auto token_id = from_base64url(claims.token_id);
  const auto lifetime = claims.expires_at_s - claims.issued_at_s;
  ESSC_INVARIANT(token_id && token_id->size() == kQrCompactTokenIdBytes);
  ESSC_INVARIANT(claims.purpose == "identity" || claims.purpose == "payment");
  ESSC_INVARIANT(claims.issued_at_s >= 0 && claims.issued_at_s <= 0xffffffff);
  ESSC_INVARIANT(lifetime >= 0 && lifetime <= kCompactLifetimeMax);
  std::string message(kQrCompactPrefix);
  message += static_cast<char>(kCompactVersion << 4 |
                               (claims.purpose == "identity" ? kCompactIdentity : kCompactPayment));
  message += key.compact_id;
  for (int shift = 24; shift >= 0; shift -= 8)
    message += static_cast<char>((claims.issued_at_s >> shift) & 0xff);
  message += static_cast<char>(lifetime);
  message += *token_id;
  message += claims.reference;
  auto signature = sign_with(key, message);
  if (key.algorithm == kSm2) {
    auto raw = sm2_signature_raw(signature);
    ESSC_INVARIANT(raw.has_value());  // OpenSSL's own DER of a 256-bit r and s
    signature = std::move(*raw);
  }
  return std::string(kQrCompactPrefix) +
         to_base45(message.substr(kQrCompactPrefix.size()) + signature);
}

Result<QrClaims> QrSigner::verify_compact(std::string_view token) const {
  const auto bytes = from_base45(token.substr(kQrCompactPrefix.size()));
  if (!bytes) return invalid("encoding");
  if (bytes->size() < kCompactReferenceAt + kCompactSignatureBytes) return invalid("size");
  const auto header = static_cast<unsigned char>((*bytes)[0]);
  const auto purpose = header & 0x0f;
  if (header >> 4 != kCompactVersion || (purpose != kCompactIdentity && purpose != kCompactPayment))
    return invalid("header");
  const std::string_view claims(bytes->data(), bytes->size() - kCompactSignatureBytes);
  const auto signature = std::string_view(*bytes).substr(claims.size());
  const std::string message = std::string(kQrCompactPrefix) + std::string(claims);
  const auto key_id = claims.substr(kCompactKeyIdAt, kCompactKeyIdBytes);
  const auto ring = ring_.load();
  const Key* signer = nullptr;
  for (const auto& key : ring->keys) {  // four bytes may name two keys: each is tried
    if (key.compact_id != key_id) continue;
    if (key.algorithm == kSm2) {
      const auto der = sm2_signature_der(signature);
      if (der && verifies(key, message, *der)) signer = &key;
    } else if (verifies(key, message, signature)) {
      signer = &key;
    }
    if (signer) break;
  }
  if (!signer) return invalid("unknown key or bad signature");
  std::int64_t issued_at = 0;
  for (std::size_t i = 0; i < 4; ++i)
    issued_at = issued_at << 8 | static_cast<unsigned char>(claims[kCompactIssuedAt + i]);
  return QrClaims{signer->kid,
                  to_base64url(claims.substr(kCompactTokenIdAt, kQrCompactTokenIdBytes)),
                  "",
                  purpose == kCompactIdentity ? "identity" : "payment",
                  issued_at,
                  issued_at + static_cast<unsigned char>(claims[kCompactLifetimeAt]),
                  std::string(claims.substr(kCompactReferenceAt))};
}

Result<QrClaims> QrSigner::verify(std::string_view token) const {
  if (token.size() > kTokenBytesMax) return invalid("size");
  if (token.starts_with(kQrCompactPrefix)) return verify_compact(token);
  if (!token.starts_with(kQrTokenPrefix)) return invalid("prefix or size");
  const auto dot = token.rfind('.');
  if (dot < kQrTokenPrefix.size()) return invalid("no signature");
  const auto signed_part = token.substr(0, dot);
  const auto payload_text = from_base64url(signed_part.substr(kQrTokenPrefix.size()));
  const auto signature = from_base64url(token.substr(dot + 1));
  if (!payload_text || !signature || signature->empty() || signature->size() > kQrSignatureBytesMax)
    return invalid("encoding");
  boost::system::error_code ec;
  const auto payload = boost::json::parse(*payload_text, ec);
  if (ec || !payload.is_object()) return invalid("payload is not JSON");
  const auto& o = payload.as_object();
  const auto text = [&](const char* name) -> std::optional<std::string> {
    const auto* v = o.if_contains(name);
    return v && v->is_string() ? std::optional<std::string>(std::string(v->as_string()))
                               : std::nullopt;
  };
  const auto number = [&](const char* name) -> std::optional<std::int64_t> {
    const auto* v = o.if_contains(name);
    return v && v->is_int64() ? std::optional<std::int64_t>(v->as_int64()) : std::nullopt;
  };
  const auto version = number("v");
  const auto kid = text("kid"), jti = text("jti"), sub = text("sub"), pur = text("pur");
  const auto iat = number("iat"), exp = number("exp");
  const auto ref_text = text("ref");
  auto ref = ref_text ? from_base64url(*ref_text) : std::nullopt;
  if (version != 1 || !kid || !jti || !sub || !pur || !iat || !exp || !ref)
    return invalid("payload members");
  const auto ring = ring_.load();
  const Key* key = find(*ring, *kid);
  if (!key) return invalid("unknown kid");
  const bool valid = verifies(*key, signed_part, *signature);
  if (!valid) return invalid("bad signature");
  return QrClaims{*kid, *jti, *sub, *pur, *iat, *exp, std::move(*ref)};
}

std::string qr_reference_cipher(std::string_view key, std::string_view token_id,
                                std::string_view bytes) {
  ESSC_INVARIANT(key.size() == crypto_stream_xchacha20_KEYBYTES);
  unsigned char nonce[crypto_stream_xchacha20_NONCEBYTES];
  crypto_generichash(nonce, sizeof nonce, reinterpret_cast<const unsigned char*>(token_id.data()),
                     token_id.size(), nullptr, 0);
  std::string out(bytes.size(), '\0');
  crypto_stream_xchacha20_xor(reinterpret_cast<unsigned char*>(out.data()),
                              reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size(),
                              nonce, reinterpret_cast<const unsigned char*>(key.data()));
  return out;
}

std::vector<QrPublicKey> QrSigner::public_keys() const {
  const auto ring = ring_.load();
  std::vector<QrPublicKey> out;
  for (const auto& k : ring->keys)
    out.push_back({k.kid, k.algorithm, k.public_key, k.created_at_ms, k.retired_at_ms});
  return out;
}

std::string QrSigner::sign_with(const Key& key, std::string_view message) const {
  if (key.algorithm == kSm2) {
    auto sm2 = sm2_sign(key.secret_key, message);
    // The key was read at construction, so signing cannot fail for input reasons.
    ESSC_INVARIANT(sm2.has_value());
    return std::move(*sm2);
  }
  std::string signature(crypto_sign_BYTES, '\0');
  crypto_sign_detached(reinterpret_cast<unsigned char*>(signature.data()), nullptr,
                       reinterpret_cast<const unsigned char*>(message.data()), message.size(),
                       reinterpret_cast<const unsigned char*>(key.secret_key.data()));
  return signature;
}

bool QrSigner::verifies(const Key& key, std::string_view message, std::string_view signature) {
  if (key.algorithm == kSm2) return sm2_verify(key.public_key, message, signature);
  return signature.size() == crypto_sign_BYTES &&
         crypto_sign_verify_detached(
             reinterpret_cast<const unsigned char*>(signature.data()),
             reinterpret_cast<const unsigned char*>(message.data()), message.size(),
             reinterpret_cast<const unsigned char*>(key.public_key.data())) == 0;
}

QrSigner::Signature QrSigner::sign_statement(std::string_view statement) const {
  ESSC_INVARIANT(!statement.starts_with(kQrTokenPrefix) &&
                 !statement.starts_with(kQrCompactPrefix));
  const auto ring = ring_.load();
  const auto& key = ring->keys[ring->signing_key];
  return {key.kid, sign_with(key, statement)};
}

bool QrSigner::verify_statement(std::string_view kid, std::string_view statement,
                                std::string_view signature) const {
  if (statement.starts_with(kQrTokenPrefix) || statement.starts_with(kQrCompactPrefix))
    return false;
  const auto ring = ring_.load();
  const Key* key = find(*ring, kid);
  return key && verifies(*key, statement, signature);
}

}  // namespace essc::crypto
