#include "crypto/keys.hpp"

#include <gtest/gtest.h>
#include <sodium.h>

#include <set>

namespace essc::crypto {
namespace {

constexpr std::int64_t kJune1st2024Ms = 1717200000000;  // 2024-06-01T00:00:00Z

TEST(KeySet, GenerateMakesFresh32ByteSecrets) {
  const KeySet a = KeySet::generate(kJune1st2024Ms);
  const KeySet b = KeySet::generate(kJune1st2024Ms);
  for (const KeySet* keys : {&a, &b}) {
    EXPECT_EQ(keys->password_pepper.size(), kSecretKeyBytes);
    EXPECT_EQ(keys->pii_key.size(), kSecretKeyBytes);
    EXPECT_EQ(keys->blind_index_key.size(), kSecretKeyBytes);
    ASSERT_EQ(keys->qr_signing_keys.size(), 2u);  // SM2 first, Ed25519 last
  }
  // R-W5 / R-S5: the three secrets are independent, and differ between installations.
  EXPECT_NE(a.password_pepper, a.pii_key);
  EXPECT_NE(a.pii_key, a.blind_index_key);
  EXPECT_NE(a.password_pepper, a.blind_index_key);
  EXPECT_NE(a.password_pepper, b.password_pepper);
  EXPECT_NE(a.pii_key, b.pii_key);
  EXPECT_NE(a.blind_index_key, b.blind_index_key);
  EXPECT_NE(a.qr_signing_keys.back().seed, b.qr_signing_keys.back().seed);
  EXPECT_NE(a.qr_signing_keys.front().seed, b.qr_signing_keys.front().seed);
}

TEST(KeySet, SigningKeyHasDatedKid) {
  const KeySet keys = KeySet::generate(kJune1st2024Ms + 123);
  EXPECT_EQ(keys.qr_signing_keys.front().algorithm, "SM2");
  EXPECT_EQ(keys.qr_signing_keys.front().kid.substr(0, 12), "sm-20240601-");
  const SigningKey& key = keys.qr_signing_keys.back();
  EXPECT_EQ(key.algorithm, "Ed25519");
  EXPECT_EQ(key.seed.size(), 32u);
  EXPECT_EQ(key.created_at_ms, kJune1st2024Ms + 123);
  // "ed-20240601-" + 8 lowercase hex characters.
  ASSERT_EQ(key.kid.size(), 20u) << key.kid;
  EXPECT_EQ(key.kid.substr(0, 12), "ed-20240601-");
  EXPECT_EQ(key.kid.find_first_not_of("0123456789abcdef", 12), std::string::npos) << key.kid;
}

TEST(KeySet, KidDateIsTheUtcDay) {
  EXPECT_EQ(generate_signing_key(kJune1st2024Ms - 1).kid.substr(0, 12), "ed-20240531-");
  EXPECT_EQ(generate_signing_key(kJune1st2024Ms).kid.substr(0, 12), "ed-20240601-");
  EXPECT_EQ(generate_signing_key(0).kid.substr(0, 12), "ed-19700101-");
  EXPECT_EQ(generate_signing_key(-1).kid.substr(0, 12), "ed-19691231-");
  EXPECT_EQ(generate_signing_key(951782400000).kid.substr(0, 12), "ed-20000229-");
}

TEST(KeySet, KidsAreDistinctWithinADay) {
  std::set<std::string> kids;
  for (int i = 0; i < 50; ++i) kids.insert(generate_signing_key(kJune1st2024Ms).kid);
  EXPECT_EQ(kids.size(), 50u);
}

TEST(KeySet, SeedMakesAWorkingEd25519KeyPair) {
  const SigningKey key = generate_signing_key(kJune1st2024Ms);
  unsigned char public_key[crypto_sign_PUBLICKEYBYTES];
  unsigned char secret_key[crypto_sign_SECRETKEYBYTES];
  ASSERT_EQ(crypto_sign_seed_keypair(public_key, secret_key,
                                     reinterpret_cast<const unsigned char*>(key.seed.data())),
            0);
  const unsigned char message[] = "ESSC1.payload";
  unsigned char signature[crypto_sign_BYTES];
  crypto_sign_detached(signature, nullptr, message, sizeof message, secret_key);
  EXPECT_EQ(crypto_sign_verify_detached(signature, message, sizeof message, public_key), 0);
  sodium_memzero(secret_key, sizeof secret_key);
}

}  // namespace
}  // namespace essc::crypto
