#include "crypto/password_hasher.hpp"

#include <sodium.h>

#include <stdexcept>
#include <utility>

#include "crypto/encoding.hpp"
#include "crypto/hash.hpp"
#include "crypto/sodium.hpp"

namespace essc::crypto {
namespace {

constexpr std::string_view kArgon2idPrefix = "$argon2id$";

// A string whose bytes are wiped when it goes out of scope: the peppered password is as
// sensitive as the password itself.
struct WipedString {
  std::string value;
  ~WipedString() { sodium_memzero(value.data(), value.size()); }
};

const Argon2Params& checked(const Argon2Params& params) {
  if (params.ops_limit < crypto_pwhash_argon2id_OPSLIMIT_MIN ||
      params.ops_limit > crypto_pwhash_argon2id_OPSLIMIT_MAX) {
    throw std::invalid_argument("argon2: ops_limit out of range");
  }
  // Compared in KiB first so that the multiplication below cannot overflow.
  if (params.memory_kib < crypto_pwhash_argon2id_MEMLIMIT_MIN / 1024 ||
      params.memory_kib > crypto_pwhash_argon2id_MEMLIMIT_MAX / 1024) {
    throw std::invalid_argument("argon2: memory_kib out of range");
  }
  if (params.concurrent_hashes_max < 1 ||
      params.concurrent_hashes_max > kConcurrentHashesMaxLimit) {
    throw std::invalid_argument("argon2: concurrent_hashes_max out of range");
  }
  return params;
}

// libsodium reads a NUL-terminated string shorter than crypto_pwhash_STRBYTES; an
// embedded NUL would silently cut it. Other algorithms (argon2i) are refused because
// R-W5 stores Argon2id only (invariant 3).
bool is_argon2id_string(std::string_view encoded) {
  return encoded.size() < crypto_pwhash_STRBYTES && encoded.find('\0') == std::string_view::npos &&
         encoded.starts_with(kArgon2idPrefix);
}

std::size_t memory_bytes(const Argon2Params& params) {
  return static_cast<std::size_t>(params.memory_kib) * 1024;
}

}  // namespace

// Holds one of the semaphore's slots for one Argon2id computation (invariant 2), and
// keeps the in-flight count for the test hook.
class PasswordHasher::Slot {
 public:
  explicit Slot(const PasswordHasher& owner) : owner_(owner) {
    owner_.slots_.acquire();
    const int now = owner_.in_flight_.fetch_add(1) + 1;
    int peak = owner_.peak_in_flight_.load();
    while (now > peak && !owner_.peak_in_flight_.compare_exchange_weak(peak, now)) {
    }
  }
  ~Slot() {
    owner_.in_flight_.fetch_sub(1);
    owner_.slots_.release();
  }
  Slot(const Slot&) = delete;
  Slot& operator=(const Slot&) = delete;

 private:
  const PasswordHasher& owner_;
};

PasswordHasher::PasswordHasher(std::string pepper, Argon2Params params)
    : pepper_(std::move(pepper)),
      params_(checked(params)),
      slots_(static_cast<std::size_t>(params.concurrent_hashes_max)) {
  if (pepper_.size() < kPepperBytesMin) {
    sodium_memzero(pepper_.data(), pepper_.size());
    throw std::invalid_argument("password pepper shorter than 16 bytes");
  }
  // Argon2's implementation (SSSE3/AVX2) is chosen by sodium_init.
  initialize_sodium();
}

PasswordHasher::~PasswordHasher() { sodium_memzero(pepper_.data(), pepper_.size()); }

std::string PasswordHasher::peppered(std::string_view password) const {
  WipedString mac{hmac_sha256(pepper_, password)};
  return to_hex(mac.value);
}

std::string PasswordHasher::hash(std::string_view password) const {
  const WipedString input{peppered(password)};
  char encoded[crypto_pwhash_STRBYTES];
  int rc = 0;
  {
    Slot slot(*this);
    rc = crypto_pwhash_str_alg(encoded, input.value.data(), input.value.size(), params_.ops_limit,
                               memory_bytes(params_), crypto_pwhash_ALG_ARGON2ID13);
  }
  // The parameters were checked in the constructor, so the only failure left is
  // libsodium failing to allocate the Argon2 memory.
  if (rc != 0) throw std::runtime_error("argon2id: out of memory");
  return std::string(encoded);
}

bool PasswordHasher::verify(std::string_view encoded, std::string_view password) const {
  if (!is_argon2id_string(encoded)) {
    return false;
  }
  const std::string terminated(encoded);
  const WipedString input{peppered(password)};
  Slot slot(*this);
  verifications_run_.fetch_add(1);
  return crypto_pwhash_str_verify(terminated.c_str(), input.value.data(), input.value.size()) == 0;
}

bool PasswordHasher::needs_rehash(std::string_view encoded) const {
  if (!is_argon2id_string(encoded)) {
    return true;
  }
  const std::string terminated(encoded);
  return crypto_pwhash_str_needs_rehash(terminated.c_str(), params_.ops_limit,
                                        memory_bytes(params_)) != 0;
}

}  // namespace essc::crypto
