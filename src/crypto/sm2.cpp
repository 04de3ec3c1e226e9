#include "crypto/sm2.hpp"

#include <openssl/bn.h>
#include <openssl/ecdsa.h>
#include <openssl/evp.h>
#include <openssl/x509.h>

#include <memory>
#include <stdexcept>

namespace essc::crypto {
namespace {

using Key = std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)>;
using DigestContext = std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)>;

Key private_key(std::string_view der) {
  const auto* data = reinterpret_cast<const unsigned char*>(der.data());
  return Key(d2i_AutoPrivateKey(nullptr, &data, static_cast<long>(der.size())), &EVP_PKEY_free);
}

Key public_key(std::string_view der) {
  const auto* data = reinterpret_cast<const unsigned char*>(der.data());
  return Key(d2i_PUBKEY(nullptr, &data, static_cast<long>(der.size())), &EVP_PKEY_free);
}

// A digest context for SM3 with the SM2 distinguishing identifier set.
DigestContext sm2_context(EVP_PKEY* key, bool sign) {
  DigestContext context(EVP_MD_CTX_new(), &EVP_MD_CTX_free);
  if (!context) return context;
  std::unique_ptr<EVP_PKEY_CTX, decltype(&EVP_PKEY_CTX_free)> key_context(
      EVP_PKEY_CTX_new(key, nullptr), &EVP_PKEY_CTX_free);
  if (!key_context || EVP_PKEY_CTX_set1_id(key_context.get(), kSm2DistinguishingId.data(),
                                           kSm2DistinguishingId.size()) != 1) {
    return DigestContext(nullptr, &EVP_MD_CTX_free);
  }
  // The digest context takes ownership of the key context.
  EVP_MD_CTX_set_pkey_ctx(context.get(), key_context.release());
  const int ok = sign ? EVP_DigestSignInit(context.get(), nullptr, EVP_sm3(), nullptr, key)
                      : EVP_DigestVerifyInit(context.get(), nullptr, EVP_sm3(), nullptr, key);
  if (ok != 1) {
    EVP_PKEY_CTX_free(EVP_MD_CTX_get_pkey_ctx(context.get()));
    EVP_MD_CTX_set_pkey_ctx(context.get(), nullptr);
    return DigestContext(nullptr, &EVP_MD_CTX_free);
  }
  return context;
}

// The DER an i2d_ function wrote (and allocated): copied, then freed.
std::optional<std::string> take_der(unsigned char* der, int length) {
  if (length <= 0) return std::nullopt;
  std::string out(reinterpret_cast<const char*>(der), static_cast<std::size_t>(length));
  OPENSSL_free(der);
  return out;
}

void release_key_context(EVP_MD_CTX* context) {
  EVP_PKEY_CTX_free(EVP_MD_CTX_get_pkey_ctx(context));
  EVP_MD_CTX_set_pkey_ctx(context, nullptr);
}

}  // namespace

std::string sm2_generate_private_der() {
  Key key(EVP_PKEY_Q_keygen(nullptr, nullptr, "SM2"), &EVP_PKEY_free);
  if (!key) throw std::runtime_error("SM2 key generation failed");
  unsigned char* der = nullptr;
  const int length = i2d_PrivateKey(key.get(), &der);
  if (length <= 0) throw std::runtime_error("SM2 key encoding failed");
  std::string out(reinterpret_cast<const char*>(der), static_cast<std::size_t>(length));
  OPENSSL_clear_free(der, static_cast<std::size_t>(length));
  return out;
}

std::optional<std::string> sm2_public_der(std::string_view private_der) {
  const auto key = private_key(private_der);
  if (!key) return std::nullopt;
  unsigned char* der = nullptr;
  const int length = i2d_PUBKEY(key.get(), &der);
  return take_der(der, length);
}

std::optional<std::string> sm2_sign(std::string_view private_der, std::string_view message) {
  const auto key = private_key(private_der);
  if (!key) return std::nullopt;
  auto context = sm2_context(key.get(), true);
  if (!context) return std::nullopt;
  std::size_t length = 0;
  const auto* data = reinterpret_cast<const unsigned char*>(message.data());
  std::optional<std::string> signature;
  if (EVP_DigestSign(context.get(), nullptr, &length, data, message.size()) == 1) {
    std::string out(length, '\0');
    if (EVP_DigestSign(context.get(), reinterpret_cast<unsigned char*>(out.data()), &length, data,
                       message.size()) == 1) {
      out.resize(length);
      signature = std::move(out);
    }
  }
  release_key_context(context.get());
  return signature;
}

bool sm2_verify(std::string_view public_der, std::string_view message,
                std::string_view signature_der) {
  const auto key = public_key(public_der);
  if (!key) return false;
  auto context = sm2_context(key.get(), false);
  if (!context) return false;
  const bool ok =
      EVP_DigestVerify(context.get(), reinterpret_cast<const unsigned char*>(signature_der.data()),
                       signature_der.size(), reinterpret_cast<const unsigned char*>(message.data()),
                       message.size()) == 1;
  release_key_context(context.get());
  return ok;
}

namespace {

using Signature = std::unique_ptr<ECDSA_SIG, decltype(&ECDSA_SIG_free)>;
using Number = std::unique_ptr<BIGNUM, decltype(&BN_free)>;

}  // namespace

std::optional<std::string> sm2_signature_raw(std::string_view signature_der) {
  const auto* data = reinterpret_cast<const unsigned char*>(signature_der.data());
  const Signature signature(d2i_ECDSA_SIG(nullptr, &data, static_cast<long>(signature_der.size())),
                            &ECDSA_SIG_free);
  if (!signature ||
      data != reinterpret_cast<const unsigned char*>(signature_der.data() + signature_der.size()))
    return std::nullopt;
  std::string raw(kSm2RawSignatureBytes, '\0');
  auto* out = reinterpret_cast<unsigned char*>(raw.data());
  constexpr int kHalf = static_cast<int>(kSm2RawSignatureBytes / 2);
  if (BN_bn2binpad(ECDSA_SIG_get0_r(signature.get()), out, kHalf) != kHalf ||
      BN_bn2binpad(ECDSA_SIG_get0_s(signature.get()), out + kHalf, kHalf) != kHalf)
    return std::nullopt;
  return raw;
}

std::optional<std::string> sm2_signature_der(std::string_view signature_raw) {
  if (signature_raw.size() != kSm2RawSignatureBytes) return std::nullopt;
  const auto* in = reinterpret_cast<const unsigned char*>(signature_raw.data());
  constexpr int kHalf = static_cast<int>(kSm2RawSignatureBytes / 2);
  Number r(BN_bin2bn(in, kHalf, nullptr), &BN_free);
  Number s(BN_bin2bn(in + kHalf, kHalf, nullptr), &BN_free);
  Signature signature(ECDSA_SIG_new(), &ECDSA_SIG_free);
  if (!r || !s || !signature || ECDSA_SIG_set0(signature.get(), r.get(), s.get()) != 1)
    return std::nullopt;
  (void)r.release();  // the signature owns them now
  (void)s.release();
  unsigned char* der = nullptr;
  const int length = i2d_ECDSA_SIG(signature.get(), &der);
  return take_der(der, length);
}

}  // namespace essc::crypto
