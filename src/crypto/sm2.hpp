// SM2 signatures with SM3 (GM/T 0003, GM/T 0004) through OpenSSL 3, for deployments
// that must use the Chinese commercial algorithms (ARCHITECTURE.md). The signer's
// distinguishing identifier is the GM/T 0009 default "1234567812345678".
//
// Keys travel as DER: PKCS#8 for the private key, SubjectPublicKeyInfo for the public
// one; signatures are DER SEQUENCE{r, s}. Failures (malformed keys) are std::nullopt or
// false, never exceptions. Thread safety: every function may run on any thread.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace essc::crypto {

inline constexpr std::string_view kSm2DistinguishingId = "1234567812345678";

std::string sm2_generate_private_der();
std::optional<std::string> sm2_public_der(std::string_view private_der);
std::optional<std::string> sm2_sign(std::string_view private_der, std::string_view message);
bool sm2_verify(std::string_view public_der, std::string_view message,
                std::string_view signature_der);

// A signature as r ‖ s, 32 bytes each, big-endian (GM/T 0009's raw form, as the compact
// QR token carries it), from DER and back. std::nullopt for anything that is not one
// (DER with trailing bytes, an integer of more than 32 bytes, a raw form of another size).
inline constexpr std::size_t kSm2RawSignatureBytes = 64;
std::optional<std::string> sm2_signature_raw(std::string_view signature_der);
std::optional<std::string> sm2_signature_der(std::string_view signature_raw);

}  // namespace essc::crypto
