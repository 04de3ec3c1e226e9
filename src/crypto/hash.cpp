#include "crypto/hash.hpp"

#include <sodium.h>

#include <stdexcept>

namespace essc::crypto {
namespace {

const unsigned char* bytes_of(std::string_view s) {
  return reinterpret_cast<const unsigned char*>(s.data());
}

}  // namespace

static_assert(kSha256Bytes == crypto_hash_sha256_BYTES);
static_assert(kSha256Bytes == crypto_auth_hmacsha256_BYTES);
static_assert(kShortHashKeyBytes == crypto_shorthash_KEYBYTES);
static_assert(crypto_shorthash_BYTES == sizeof(std::uint64_t));

std::string sha256(std::string_view data) {
  std::string out(kSha256Bytes, '\0');
  crypto_hash_sha256(reinterpret_cast<unsigned char*>(out.data()), bytes_of(data), data.size());
  return out;
}

std::string hmac_sha256(std::string_view key, std::string_view data) {
  // The init/update/final interface takes a key of any length; crypto_auth_hmacsha256
  // alone would require exactly 32 bytes, and client secrets are not that.
  crypto_auth_hmacsha256_state state;
  crypto_auth_hmacsha256_init(&state, bytes_of(key), key.size());
  crypto_auth_hmacsha256_update(&state, bytes_of(data), data.size());
  std::string out(kSha256Bytes, '\0');
  crypto_auth_hmacsha256_final(&state, reinterpret_cast<unsigned char*>(out.data()));
  // The state holds the key's inner and outer pads: key material.
  sodium_memzero(&state, sizeof state);
  return out;
}

bool constant_time_equal(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  if (a.empty()) return true;
  return sodium_memcmp(a.data(), b.data(), a.size()) == 0;
}

std::uint64_t short_hash(std::string_view key, std::string_view data) {
  if (key.size() != kShortHashKeyBytes)
    throw std::invalid_argument("short_hash needs a 16-byte key");
  unsigned char out[crypto_shorthash_BYTES];
  crypto_shorthash(out, bytes_of(data), data.size(), bytes_of(key));
  std::uint64_t digest = 0;
  for (int i = crypto_shorthash_BYTES - 1; i >= 0; --i) digest = (digest << 8) | out[i];
  return digest;
}

}  // namespace essc::crypto
