#include "crypto/qr_token.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "crypto/encoding.hpp"

namespace essc::crypto {
namespace {

QrClaims claims() {
  return {"", "jti-123", "sub-abc", "payment", 1'795'651'200, 1'795'651'260, "ref"};
}

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

TEST(QrToken, R_U2_Sm2SignsWhenConfiguredAndBothAlgorithmsVerify) {
  const auto keys = KeySet::generate(1'795'651'200'000);
  QrSigner sm2(keys.qr_signing_keys, kSm2);
  QrSigner ed(keys.qr_signing_keys, kEd25519);
  const auto token = sm2.sign(claims());
  auto verified = ed.verify(token);  // either signer knows every key
  ASSERT_TRUE(verified.ok());
  EXPECT_TRUE(verified->kid.starts_with("sm-"));
  EXPECT_TRUE(sm2.verify(ed.sign(claims())).ok());
  auto tampered = token;
  tampered[12] = tampered[12] == 'A' ? 'B' : 'A';
  EXPECT_EQ(ed.verify(tampered).error().code, ErrorCode::kQrInvalid);
}

TEST(QrToken, R_U2_Sm2TokenVerifiesWithTheOpensslCommandLine) {
  const auto keys = KeySet::generate(1'795'651'200'000);
  QrSigner signer(keys.qr_signing_keys, kSm2);
  const auto token = signer.sign(claims());
  const auto published = signer.public_keys().front();  // the SM2 key, as GET /v1/keys lists it
  ASSERT_EQ(published.algorithm, "SM2");
  const auto dir =
      std::filesystem::temp_directory_path() / ("essc-sm2-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const auto path = [&](const char* name) { return (dir / name).string(); };
  const auto dot = token.rfind('.');
  std::ofstream(path("key.der"), std::ios::binary) << published.public_key;
  std::ofstream(path("signed.bin"), std::ios::binary) << token.substr(0, dot);
  std::ofstream(path("sig.der"), std::ios::binary) << *from_base64url(token.substr(dot + 1));
  const auto verify = "openssl pkeyutl -verify -pubin -keyform DER -inkey " + path("key.der") +
                      " -rawin -digest sm3 -pkeyopt distid:1234567812345678 -in " +
                      path("signed.bin") + " -sigfile " + path("sig.der") + " > " +
                      path("out.txt") + " 2>&1";
  EXPECT_EQ(std::system(verify.c_str()), 0);
  std::ofstream(path("signed.bin"), std::ios::binary) << token.substr(0, dot) << "x";
  EXPECT_NE(std::system(verify.c_str()), 0);
  std::filesystem::remove_all(dir);
}

// The compact form: a token id of 12 random bytes and an 18-byte reference (a binding).
QrClaims compact_claims() {
  return {"",
          to_base64url(std::string("0123456789ab")),
          "",
          "identity",
          1'795'651'200,
          1'795'651'260,
          std::string("binding-reference!")};
}

bool alphanumeric(std::string_view text) {
  return text.find_first_not_of("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:") ==
         std::string_view::npos;
}

TEST(QrToken, R_U2_CompactTokenCarriesTheClaimsInQrAlphanumericCharacters) {
  const auto keys = KeySet::generate(1'795'651'200'000);
  for (auto algorithm : {kEd25519, kSm2}) {
    QrSigner signer(keys.qr_signing_keys, algorithm);
    const auto token = signer.sign(compact_claims(), QrFormat::kCompact);
    EXPECT_TRUE(token.starts_with("EC1:")) << token;
    EXPECT_TRUE(alphanumeric(token)) << token;
    // 22 bytes of claims, the reference and a 64-byte signature, two bytes in three characters.
    EXPECT_EQ(token.size(), 4 + (22 + 18 + 64) / 2 * 3) << algorithm;
    auto verified = signer.verify(token);
    ASSERT_TRUE(verified.ok()) << algorithm;
    EXPECT_EQ(verified->kid, signer.signing_kid());
    EXPECT_EQ(verified->token_id, compact_claims().token_id);
    EXPECT_EQ(verified->subject, "");
    EXPECT_EQ(verified->purpose, "identity");
    EXPECT_EQ(verified->issued_at_s, 1'795'651'200);
    EXPECT_EQ(verified->expires_at_s, 1'795'651'260);
    EXPECT_EQ(verified->reference, "binding-reference!");
    auto payment = compact_claims();
    payment.purpose = "payment";
    payment.reference += std::string(12, '\x01');  // a family member's code is 12 bytes longer
    EXPECT_EQ(signer.verify(signer.sign(payment, QrFormat::kCompact))->purpose, "payment");
  }
}

// Any change to any byte (each bit of it, one at a time), a byte cut off or added, or
// another key: QR_INVALID, never other claims.
TEST(QrToken, R_U2_EveryTamperedByteOfACompactTokenIsInvalid) {
  const auto keys = KeySet::generate(1'795'651'200'000);
  for (auto algorithm : {kEd25519, kSm2}) {
    QrSigner signer(keys.qr_signing_keys, algorithm);
    const auto token = signer.sign(compact_claims(), QrFormat::kCompact);
    const auto bytes = *from_base45(token.substr(4));
    for (std::size_t i = 0; i < bytes.size(); ++i) {
      for (int bit = 0; bit < 8; ++bit) {
        auto tampered = bytes;
        tampered[i] = static_cast<char>(tampered[i] ^ (1 << bit));
        EXPECT_EQ(signer.verify("EC1:" + to_base45(tampered)).error().code, ErrorCode::kQrInvalid)
            << algorithm << " byte " << i << " bit " << bit;
      }
    }
    for (std::size_t cut = 1; cut <= bytes.size(); ++cut) {
      EXPECT_EQ(signer.verify("EC1:" + to_base45(bytes.substr(0, bytes.size() - cut))).error().code,
                ErrorCode::kQrInvalid)
          << cut;
    }
    EXPECT_EQ(signer.verify("EC1:" + to_base45(bytes + "x")).error().code, ErrorCode::kQrInvalid);
    EXPECT_EQ(signer.verify("EC1:" + to_base45("x" + bytes)).error().code, ErrorCode::kQrInvalid);
    for (std::size_t i = 4; i < token.size(); ++i) {  // each character: not Base45, or other bytes
      for (char c : {'0', 'Z', ':', 'a', '\0'}) {
        if (token[i] == c) continue;
        auto tampered = token;
        tampered[i] = c;
        EXPECT_EQ(signer.verify(tampered).error().code, ErrorCode::kQrInvalid) << i << c;
      }
    }
    QrSigner other(KeySet::generate(1'795'651'200'000).qr_signing_keys, algorithm);
    EXPECT_EQ(other.verify(token).error().code, ErrorCode::kQrInvalid);  // unknown key
  }
  for (std::string_view junk : {"EC1:", "EC1:A", "EC1:0000", "EC1::::", "EC2:BB8"}) {
    EXPECT_EQ(QrSigner(keys.qr_signing_keys).verify(junk).error().code, ErrorCode::kQrInvalid)
        << junk;
  }
}

TEST(QrToken, R_U2_BothFormsVerifyWithEitherSignerAndStatementsCannotPassForACompactCode) {
  const auto keys = KeySet::generate(1'795'651'200'000);
  QrSigner sm2(keys.qr_signing_keys, kSm2);
  QrSigner ed(keys.qr_signing_keys, kEd25519);
  EXPECT_TRUE(ed.verify(sm2.sign(compact_claims(), QrFormat::kCompact)).ok());
  EXPECT_TRUE(sm2.verify(ed.sign(compact_claims(), QrFormat::kCompact)).ok());
  EXPECT_TRUE(ed.verify(ed.sign(claims())).ok());
  const auto statement = ed.sign_statement("ESSC-AUDIT1.1.ab.1");
  EXPECT_FALSE(ed.verify_statement(statement.kid, "EC1:" + std::string("ESSC-AUDIT1.1.ab.1"),
                                   statement.bytes));
}

// The compact signature verifies with the openssl command line over `EC1:` ‖ claims:
// Ed25519 as it is; SM2's r ‖ s once written as DER by `openssl asn1parse -genconf`.
TEST(QrToken, R_U2_CompactTokenVerifiesWithTheOpensslCommandLine) {
  const auto keys = KeySet::generate(1'795'651'200'000);
  const auto dir =
      std::filesystem::temp_directory_path() / ("essc-compact-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const auto path = [&](const char* name) { return (dir / name).string(); };
  for (auto algorithm : {kEd25519, kSm2}) {
    QrSigner signer(keys.qr_signing_keys, algorithm);
    const auto token = signer.sign(compact_claims(), QrFormat::kCompact);
    const auto bytes = *from_base45(token.substr(4));
    const auto claims_part = bytes.substr(0, bytes.size() - 64);
    const auto signature = bytes.substr(bytes.size() - 64);
    std::string published;
    for (const auto& key : signer.public_keys()) {
      if (key.kid == signer.signing_kid()) published = key.public_key;
    }
    std::string verify;
    if (algorithm == kEd25519) {
      std::ofstream(path("key.der"), std::ios::binary)
          << std::string("\x30\x2a\x30\x05\x06\x03\x2b\x65\x70\x03\x21\x00", 12) << published;
      std::ofstream(path("sig.bin"), std::ios::binary) << signature;
      verify = "openssl pkeyutl -verify -pubin -keyform DER -inkey " + path("key.der") +
               " -rawin -in " + path("signed.bin") + " -sigfile " + path("sig.bin");
    } else {
      std::ofstream(path("key.der"), std::ios::binary) << published;
      std::ofstream(path("sig.cnf"))
          << "asn1=SEQUENCE:sig\n[sig]\nr=INTEGER:0x" << to_hex(signature.substr(0, 32))
          << "\ns=INTEGER:0x" << to_hex(signature.substr(32)) << "\n";
      const auto der = "openssl asn1parse -genconf " + path("sig.cnf") + " -out " +
                       path("sig.bin") + " > /dev/null";
      ASSERT_EQ(std::system(der.c_str()), 0);
      verify = "openssl pkeyutl -verify -pubin -keyform DER -inkey " + path("key.der") +
               " -rawin -digest sm3 -pkeyopt distid:1234567812345678 -in " + path("signed.bin") +
               " -sigfile " + path("sig.bin");
    }
    verify += " > " + path("out.txt") + " 2>&1";
    std::ofstream(path("signed.bin"), std::ios::binary) << "EC1:" << claims_part;
    EXPECT_EQ(std::system(verify.c_str()), 0) << algorithm;
    std::ofstream(path("signed.bin"), std::ios::binary) << "EC1:" << claims_part << "x";
    EXPECT_NE(std::system(verify.c_str()), 0) << algorithm;
  }
  std::filesystem::remove_all(dir);
}

TEST(QrToken, R_U2_RotationKeepsOldKeysVerifying) {
  auto keys = KeySet::generate(1'795'651'200'000);
  const auto old_token = QrSigner(keys.qr_signing_keys).sign(claims());
  keys.qr_signing_keys.push_back(generate_signing_key(1'795'651'300'000));
  QrSigner rotated(keys.qr_signing_keys);
  EXPECT_TRUE(rotated.verify(old_token).ok());
  EXPECT_EQ(rotated.verify(rotated.sign(claims()))->kid, keys.qr_signing_keys.back().kid);
  EXPECT_EQ(rotated.public_keys().size(), 3u);  // SM2, the old and the new Ed25519 key
}

TEST(QrToken, R_S9_ReloadSwitchesTheSigningKeyAndKeepsTheRetiredOneVerifying) {
  auto keys = KeySet::generate(1'795'651'200'000);
  QrSigner signer(keys.qr_signing_keys);
  const auto old_kid = signer.signing_kid();
  const auto old_token = signer.sign(claims());
  const auto old_statement = signer.sign_statement("ESSC-AUDIT1.1.ab.1");
  keys.qr_signing_keys.back().retired_at_ms = 1'795'651'300'000;
  keys.qr_signing_keys.push_back(generate_signing_key(1'795'651'300'000));
  signer.reload(keys.qr_signing_keys);
  EXPECT_EQ(signer.signing_kid(), keys.qr_signing_keys.back().kid);
  EXPECT_NE(signer.signing_kid(), old_kid);
  EXPECT_EQ(signer.verify(signer.sign(claims()))->kid, signer.signing_kid());
  EXPECT_TRUE(signer.verify(old_token).ok());
  EXPECT_TRUE(signer.verify_statement(old_kid, "ESSC-AUDIT1.1.ab.1", old_statement.bytes));
  std::int64_t retired_at = 0;
  for (const auto& key : signer.public_keys()) {
    if (key.kid == old_kid) retired_at = key.retired_at_ms;
  }
  EXPECT_EQ(retired_at, 1'795'651'300'000);
  // A set without a key of the signer's algorithm is refused and the old set stays.
  std::vector<SigningKey> only_sm2;
  for (const auto& key : keys.qr_signing_keys) {
    if (key.algorithm == kSm2) only_sm2.push_back(key);
  }
  EXPECT_THROW(signer.reload(only_sm2), std::invalid_argument);
  EXPECT_TRUE(signer.verify(old_token).ok());
}

TEST(QrToken, R_S9_AllRetiredStillSignsWithTheNewestOfItsAlgorithm) {
  auto keys = KeySet::generate(1'795'651'200'000);
  for (auto& key : keys.qr_signing_keys) key.retired_at_ms = 1'795'651'300'000;
  QrSigner signer(keys.qr_signing_keys);
  EXPECT_EQ(signer.signing_kid(), keys.qr_signing_keys.back().kid);
}

}  // namespace
}  // namespace essc::crypto
