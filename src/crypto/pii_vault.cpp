#include "crypto/pii_vault.hpp"

#include <sodium.h>

#include <memory>
#include <stdexcept>
#include <utility>

#include "common/assert.hpp"
#include "crypto/encoding.hpp"
#include "crypto/hash.hpp"
#include "crypto/random.hpp"
#include "crypto/sodium.hpp"

namespace essc::crypto {
namespace {

static_assert(kPiiKeyBytes == crypto_aead_xchacha20poly1305_ietf_KEYBYTES);
static_assert(kPiiNonceBytes == crypto_aead_xchacha20poly1305_ietf_NPUBBYTES);
static_assert(kPiiTagBytes == crypto_aead_xchacha20poly1305_ietf_ABYTES);

const unsigned char* bytes_of(std::string_view s) {
  return reinterpret_cast<const unsigned char*>(s.data());
}

void wipe(std::string& s) { sodium_memzero(s.data(), s.size()); }

void require_key_size(std::string_view key) {
  if (key.size() != kPiiKeyBytes) throw std::invalid_argument("PII vault keys must be 32 bytes");
}

}  // namespace

PiiVault::Keyring::Keyring(std::string current_key, std::vector<std::string> retired_keys)
    : current(std::move(current_key)), retired(std::move(retired_keys)) {}

PiiVault::Keyring::~Keyring() {
  wipe(current);
  for (auto& key : retired) wipe(key);
}

PiiVault::PiiVault(std::string encryption_key, std::string blind_index_key,
                   std::vector<std::string> retired_keys)
    : blind_index_key_(std::move(blind_index_key)) {
  initialize_sodium();
  try {
    require_key_size(blind_index_key_);
    set_encryption_keys(std::move(encryption_key), std::move(retired_keys));
  } catch (...) {
    wipe(blind_index_key_);
    throw;
  }
}

PiiVault::~PiiVault() { wipe(blind_index_key_); }

void PiiVault::set_encryption_keys(std::string encryption_key,
                                   std::vector<std::string> retired_keys) {
  // Made first, so that a refused key is wiped by the Keyring's destructor.
  auto next = std::make_shared<const Keyring>(std::move(encryption_key), std::move(retired_keys));
  require_key_size(next->current);
  for (const auto& key : next->retired) require_key_size(key);
  const std::lock_guard lock(mutex_);
  keyring_ = std::move(next);
}

std::shared_ptr<const PiiVault::Keyring> PiiVault::keyring() const {
  const std::lock_guard lock(mutex_);
  return keyring_;
}

std::string PiiVault::seal(std::string_view field, std::string_view plaintext) const {
  ESSC_INVARIANT(field.find('\0') == std::string_view::npos);
  const auto keys = keyring();
  std::string out = random_bytes(kPiiNonceBytes);
  out.resize(kPiiSealOverheadBytes + plaintext.size());
  unsigned long long cipher_len = 0;
  crypto_aead_xchacha20poly1305_ietf_encrypt(
      reinterpret_cast<unsigned char*>(out.data() + kPiiNonceBytes), &cipher_len,
      bytes_of(plaintext), plaintext.size(), bytes_of(field), field.size(),
      /*nsec=*/nullptr, bytes_of(out) /* the nonce, first kPiiNonceBytes */,
      bytes_of(keys->current));
  ESSC_INVARIANT(cipher_len == plaintext.size() + kPiiTagBytes);
  return out;
}

std::optional<std::string> PiiVault::open_with(std::string_view key, std::string_view field,
                                               std::string_view sealed) {
  if (sealed.size() < kPiiSealOverheadBytes) return std::nullopt;
  const std::string_view nonce = sealed.substr(0, kPiiNonceBytes);
  const std::string_view cipher = sealed.substr(kPiiNonceBytes);
  std::string plain(cipher.size() - kPiiTagBytes, '\0');
  unsigned long long plain_len = 0;
  // Fails (without writing plaintext out) when the tag does not match: another key,
  // another field, or any altered byte (invariant 2).
  if (crypto_aead_xchacha20poly1305_ietf_decrypt(reinterpret_cast<unsigned char*>(plain.data()),
                                                 &plain_len, /*nsec=*/nullptr, bytes_of(cipher),
                                                 cipher.size(), bytes_of(field), field.size(),
                                                 bytes_of(nonce), bytes_of(key)) != 0) {
    return std::nullopt;
  }
  ESSC_INVARIANT(plain_len == plain.size());
  return plain;
}

std::optional<std::string> PiiVault::open(std::string_view field, std::string_view sealed) const {
  const auto keys = keyring();
  if (auto plain = open_with(keys->current, field, sealed)) return plain;
  for (const auto& key : keys->retired) {
    if (auto plain = open_with(key, field, sealed)) return plain;
  }
  return std::nullopt;
}

PiiVault::Resealed PiiVault::reseal(std::string_view field, std::string_view sealed) const {
  const auto keys = keyring();
  if (auto plain = open_with(keys->current, field, sealed)) {
    wipe(*plain);
    return {};
  }
  for (const auto& key : keys->retired) {
    if (auto plain = open_with(key, field, sealed)) {
      Resealed out{Resealed::Outcome::kResealed, seal(field, *plain)};
      wipe(*plain);
      return out;
    }
  }
  return {Resealed::Outcome::kUnreadable, {}};
}

std::string pii_key_id(std::string_view encryption_key) {
  return to_hex(hmac_sha256(encryption_key, "essc pii key id")).substr(0, 16);
}

std::string PiiVault::key_id() const { return pii_key_id(keyring()->current); }

bool PiiVault::has_retired_keys() const { return !keyring()->retired.empty(); }

std::string PiiVault::blind_index(std::string_view field, std::string_view plaintext) const {
  ESSC_INVARIANT(field.find('\0') == std::string_view::npos);
  std::string input;
  input.reserve(field.size() + 1 + plaintext.size());
  input.append(field);
  input.push_back('\0');
  input.append(plaintext);
  std::string index = hmac_sha256(blind_index_key_, input);
  wipe(input);  // holds the plaintext (R-S5: plaintext only as long as needed)
  return index;
}

}  // namespace essc::crypto
