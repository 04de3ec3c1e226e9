// QR token parser (R-U2, docs/qr-token.md): any text an institution scans goes through
// QrSigner::verify, under Ed25519 and SM2, and gives claims or QR_INVALID, never a crash.
// The input also becomes claims of the shape the platform issues, which must verify to
// themselves after signing with either algorithm.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "crypto/keys.hpp"
#include "crypto/qr_token.hpp"
#include "crypto/sodium.hpp"
#include "fuzz_check.hpp"

namespace {

using essc::crypto::QrClaims;
using essc::crypto::QrSigner;

struct Signers {
  Signers()
      : keys(make_keys()), ed25519(keys, essc::crypto::kEd25519), sm2(keys, essc::crypto::kSm2) {}
  static std::vector<essc::crypto::SigningKey> make_keys() {
    essc::crypto::initialize_sodium();
    return {essc::crypto::generate_signing_key(0), essc::crypto::generate_sm2_signing_key(0)};
  }
  std::vector<essc::crypto::SigningKey> keys;
  QrSigner ed25519;
  QrSigner sm2;
};

// The platform's token ids and subjects are 22 base64url characters (16 bytes); up to
// 64 keeps every token well inside the 1024 bytes verify() accepts.
constexpr std::size_t kIdCharsMax = 64;
// A code's reference is some 27–47 bytes; this covers it with room for any bytes.
constexpr std::size_t kReferenceBytesMax = 48;

// Token ids and subjects are base64url text; the input picks their characters.
std::string base64url_text(std::string_view bytes) {
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  std::string out;
  for (unsigned char c : bytes) out += kAlphabet[c % 64];
  return out;
}

std::int64_t seconds_from(std::string_view bytes) {
  std::uint64_t v = 0;
  for (unsigned char c : bytes.substr(0, 5)) v = (v << 8) | c;  // up to 2^40 s
  return static_cast<std::int64_t>(v);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const Signers signers;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  for (const QrSigner* signer : {&signers.ed25519, &signers.sm2}) {
    const auto claims = signer->verify(text);
    if (!claims) FUZZ_CHECK(claims.error().code == essc::ErrorCode::kQrInvalid);
  }

  QrClaims claims;
  const auto half = std::min(text.size() / 2, kIdCharsMax);
  claims.token_id = base64url_text(text.substr(0, half));
  claims.subject = base64url_text(text.substr(half, kIdCharsMax));
  claims.purpose = size % 2 ? "payment" : "identity";
  claims.issued_at_s = seconds_from(text);
  claims.expires_at_s = claims.issued_at_s + 60;
  claims.reference = std::string(
      text.substr(0, kReferenceBytesMax));  // any bytes: the payload carries them as base64url
  // One algorithm per input: SM2 signing is slow enough to halve the executions per second.
  for (const QrSigner* signer : {size % 3 ? &signers.ed25519 : &signers.sm2}) {
    const auto token = signer->sign(claims);
    const auto back = signer->verify(token);
    FUZZ_CHECK(back.ok());
    FUZZ_CHECK(back->token_id == claims.token_id && back->subject == claims.subject &&
               back->purpose == claims.purpose);
    FUZZ_CHECK(back->issued_at_s == claims.issued_at_s &&
               back->expires_at_s == claims.expires_at_s);
    FUZZ_CHECK(back->reference == claims.reference);
    // The other signer holds the same keys, so it verifies too: rotation between algorithms.
    FUZZ_CHECK((signer == &signers.ed25519 ? signers.sm2 : signers.ed25519).verify(token).ok());
  }
  return 0;
}
