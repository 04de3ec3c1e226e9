#include "crypto/hash.hpp"

#include <sodium.h>

namespace essc::crypto {
namespace {

const unsigned char* bytes_of(std::string_view s) {
  return reinterpret_cast<const unsigned char*>(s.data());
}

}  // namespace

static_assert(kSha256Bytes == crypto_hash_sha256_BYTES);
static_assert(kSha256Bytes == crypto_auth_hmacsha256_BYTES);

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

}  // namespace essc::crypto
