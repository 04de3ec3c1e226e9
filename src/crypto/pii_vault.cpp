#include "crypto/pii_vault.hpp"

#include <sodium.h>

#include <stdexcept>
#include <utility>

#include "common/assert.hpp"
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

}  // namespace

PiiVault::PiiVault(std::string encryption_key, std::string blind_index_key)
    : encryption_key_(std::move(encryption_key)), blind_index_key_(std::move(blind_index_key)) {
  if (encryption_key_.size() != kPiiKeyBytes || blind_index_key_.size() != kPiiKeyBytes) {
    wipe(encryption_key_);
    wipe(blind_index_key_);
    throw std::invalid_argument("PII vault keys must be 32 bytes each");
  }
  initialize_sodium();
}

PiiVault::~PiiVault() {
  wipe(encryption_key_);
  wipe(blind_index_key_);
}

std::string PiiVault::seal(std::string_view field, std::string_view plaintext) const {
  ESSC_INVARIANT(field.find('\0') == std::string_view::npos);
  std::string out = random_bytes(kPiiNonceBytes);
  out.resize(kPiiSealOverheadBytes + plaintext.size());
  unsigned long long cipher_len = 0;
  crypto_aead_xchacha20poly1305_ietf_encrypt(
      reinterpret_cast<unsigned char*>(out.data() + kPiiNonceBytes), &cipher_len,
      bytes_of(plaintext), plaintext.size(), bytes_of(field), field.size(),
      /*nsec=*/nullptr, bytes_of(out) /* the nonce, first kPiiNonceBytes */,
      bytes_of(encryption_key_));
  ESSC_INVARIANT(cipher_len == plaintext.size() + kPiiTagBytes);
  return out;
}

std::optional<std::string> PiiVault::open(std::string_view field, std::string_view sealed) const {
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
                                                 bytes_of(nonce), bytes_of(encryption_key_)) != 0) {
    return std::nullopt;
  }
  ESSC_INVARIANT(plain_len == plain.size());
  return plain;
}

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
