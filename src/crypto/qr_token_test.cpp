#include "crypto/qr_token.hpp"

#include <gtest/gtest.h>

#include "crypto/encoding.hpp"

namespace essc::crypto {
namespace {

QrClaims claims() { return {"", "jti-123", "sub-abc", "payment", 1'795'651'200, 1'795'651'260}; }

TEST(QrToken, R_U2_SignedTokenVerifiesAndCarriesNoPersonalData) {
  const auto keys = KeySet::generate(1'795'651'200'000);
  QrSigner signer(keys.qr_signing_keys);
  const auto token = signer.sign(claims());
  EXPECT_TRUE(token.starts_with("ESSC1."));
  auto verified = signer.verify(token);
  ASSERT_TRUE(verified.ok());
  EXPECT_EQ(verified->kid, keys.qr_signing_keys.back().kid);
  EXPECT_EQ(verified->token_id, "jti-123");
  EXPECT_EQ(verified->purpose, "payment");
  EXPECT_EQ(verified->expires_at_s, 1'795'651'260);
}

TEST(QrToken, R_U2_ForgedOrTamperedTokensAreInvalid) {
  const auto keys = KeySet::generate(1'795'651'200'000);
  QrSigner signer(keys.qr_signing_keys);
  auto token = signer.sign(claims());
  auto tampered = token;
  tampered[10] = tampered[10] == 'A' ? 'B' : 'A';
  EXPECT_EQ(signer.verify(tampered).error().code, ErrorCode::kQrInvalid);
  QrSigner other(KeySet::generate(1'795'651'200'000).qr_signing_keys);
  EXPECT_EQ(other.verify(token).error().code, ErrorCode::kQrInvalid);  // unknown kid
  for (std::string_view junk : {"", "ESSC1.", "ESSC1..", "ESSC2.abc.def", "ESSC1.%%%.###"}) {
    EXPECT_EQ(signer.verify(junk).error().code, ErrorCode::kQrInvalid) << junk;
  }
}

TEST(QrToken, R_U2_RotationKeepsOldKeysVerifying) {
  auto keys = KeySet::generate(1'795'651'200'000);
  const auto old_token = QrSigner(keys.qr_signing_keys).sign(claims());
  keys.qr_signing_keys.push_back(generate_signing_key(1'795'651'300'000));
  QrSigner rotated(keys.qr_signing_keys);
  EXPECT_TRUE(rotated.verify(old_token).ok());
  EXPECT_EQ(rotated.verify(rotated.sign(claims()))->kid, keys.qr_signing_keys.back().kid);
  EXPECT_EQ(rotated.public_keys().size(), 2u);
}

}  // namespace
}  // namespace essc::crypto
