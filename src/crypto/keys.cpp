#include "crypto/keys.hpp"

#include <sodium.h>

#include <chrono>
#include <cstdio>

#include "crypto/encoding.hpp"
#include "crypto/random.hpp"
#include "crypto/sm2.hpp"

namespace essc::crypto {
namespace {

static_assert(kSecretKeyBytes == crypto_sign_ed25519_SEEDBYTES);
// 4 random bytes (8 hex characters) after the date: rotating twice in a day still
// gives distinct kids with overwhelming probability.
constexpr std::size_t kKidRandomBytes = 4;

// "YYYYMMDD" of the UTC day holding now_ms (floored, so times before 1970 work too).
std::string utc_date(std::int64_t now_ms) {
  using namespace std::chrono;
  const sys_time<milliseconds> time{milliseconds{now_ms}};
  const year_month_day date{floor<days>(time)};
  char out[32];
  std::snprintf(out, sizeof out, "%04d%02u%02u", static_cast<int>(date.year()),
                static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()));
  return out;
}

}  // namespace

SigningKey generate_signing_key(std::int64_t now_ms) {
  return SigningKey{
      .kid = "ed-" + utc_date(now_ms) + "-" + to_hex(random_bytes(kKidRandomBytes)),
      .algorithm = std::string(kEd25519),
      .seed = random_bytes(kSecretKeyBytes),
      .created_at_ms = now_ms,
  };
}

SigningKey generate_sm2_signing_key(std::int64_t now_ms) {
  return SigningKey{
      .kid = "sm-" + utc_date(now_ms) + "-" + to_hex(random_bytes(kKidRandomBytes)),
      .algorithm = std::string(kSm2),
      .seed = sm2_generate_private_der(),
      .created_at_ms = now_ms,
  };
}

KeySet KeySet::generate(std::int64_t now_ms) {
  KeySet keys;
  keys.password_pepper = random_bytes(kSecretKeyBytes);
  keys.pii_key = random_bytes(kSecretKeyBytes);
  keys.blind_index_key = random_bytes(kSecretKeyBytes);
  keys.qr_signing_keys.push_back(generate_sm2_signing_key(now_ms));
  keys.qr_signing_keys.push_back(generate_signing_key(now_ms));
  keys.audit_log_seed = random_bytes(kSecretKeyBytes);
  return keys;
}

}  // namespace essc::crypto
