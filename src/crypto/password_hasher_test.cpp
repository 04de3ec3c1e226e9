#include "crypto/password_hasher.hpp"

#include <gtest/gtest.h>
#include <sodium.h>

#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "crypto/encoding.hpp"
#include "crypto/hash.hpp"

namespace essc::crypto {
namespace {

// Small parameters keep each hash in the milliseconds; production uses the defaults.
Argon2Params fast_params(int concurrent_hashes_max = 2) {
  return Argon2Params{
      .ops_limit = 1, .memory_kib = 8192, .concurrent_hashes_max = concurrent_hashes_max};
}

const std::string kPepper = "pepper-0123456789abcdef-0123456789";
const std::string kOtherPepper = "pepper-fedcba9876543210-9876543210";

TEST(PasswordHasher, R_W5_HashVerifiesAndIsArgon2id) {
  const PasswordHasher hasher(kPepper, fast_params());
  const std::string encoded = hasher.hash("123456");
  EXPECT_TRUE(encoded.starts_with("$argon2id$")) << encoded;
  EXPECT_NE(encoded.find("m=8192,t=1"), std::string::npos) << encoded;
  EXPECT_TRUE(hasher.verify(encoded, "123456"));
  EXPECT_FALSE(hasher.verify(encoded, "123457"));
  EXPECT_FALSE(hasher.verify(encoded, ""));
  EXPECT_FALSE(hasher.verify(encoded, "1234560"));
}

TEST(PasswordHasher, R_W5_SaltMakesEveryHashDifferent) {
  const PasswordHasher hasher(kPepper, fast_params());
  const std::string a = hasher.hash("123456");
  const std::string b = hasher.hash("123456");
  EXPECT_NE(a, b);
  EXPECT_TRUE(hasher.verify(a, "123456"));
  EXPECT_TRUE(hasher.verify(b, "123456"));
}

TEST(PasswordHasher, R_W5_DifferentPepperFailsToVerify) {
  const PasswordHasher hasher(kPepper, fast_params());
  const PasswordHasher other(kOtherPepper, fast_params());
  const std::string encoded = hasher.hash("123456");
  EXPECT_FALSE(other.verify(encoded, "123456"));
}

TEST(PasswordHasher, R_W5_DumpAloneCannotVerify) {
  // Someone holding the database but not the key file runs plain Argon2id over each
  // candidate PIN: no candidate matches, because what was hashed was the pepper's HMAC.
  const PasswordHasher hasher(kPepper, fast_params());
  const std::string encoded = hasher.hash("123456");
  EXPECT_NE(crypto_pwhash_str_verify(encoded.c_str(), "123456", 6), 0);
  // With the pepper the stored value is exactly Argon2id over hex(HMAC(pepper, pin)).
  const std::string peppered = to_hex(hmac_sha256(kPepper, "123456"));
  EXPECT_EQ(crypto_pwhash_str_verify(encoded.c_str(), peppered.data(), peppered.size()), 0);
}

TEST(PasswordHasher, R_W5_MalformedEncodedIsFalse) {
  const PasswordHasher hasher(kPepper, fast_params());
  const std::string encoded = hasher.hash("123456");
  const std::string peppered = to_hex(hmac_sha256(kPepper, "123456"));
  char argon2i[crypto_pwhash_STRBYTES];
  ASSERT_EQ(crypto_pwhash_str_alg(argon2i, peppered.data(), peppered.size(), 3, 8192 * 1024,
                                  crypto_pwhash_ALG_ARGON2I13),
            0);
  const std::string bad[] = {
      "",
      "$argon2id$",
      "garbage",
      encoded.substr(0, encoded.size() - 5),
      encoded.substr(0, 20),
      encoded + "AAAA",
      encoded + std::string(1, '\0'),
      std::string(encoded).insert(12, 1, '\0'),
      std::string(200, 'a'),
      "$argon2id$v=19$m=8192,t=1,p=1$$",
      argon2i,  // right password and pepper, but not Argon2id (R-W5)
  };
  for (const std::string& b : bad) {
    EXPECT_FALSE(hasher.verify(b, "123456")) << b;
  }
}

TEST(PasswordHasher, NeedsRehashWhenParametersChange) {
  const PasswordHasher hasher(kPepper, fast_params());
  const PasswordHasher stronger(kPepper, Argon2Params{.ops_limit = 2, .memory_kib = 8192});
  const std::string encoded = hasher.hash("123456");
  EXPECT_FALSE(hasher.needs_rehash(encoded));
  EXPECT_TRUE(stronger.needs_rehash(encoded));
  EXPECT_TRUE(stronger.verify(encoded, "123456"));  // old hashes keep working
  EXPECT_TRUE(hasher.needs_rehash("garbage"));
}

TEST(PasswordHasher, R_W5_RejectsShortPepperAndBadParameters) {
  EXPECT_THROW(PasswordHasher("", fast_params()), std::invalid_argument);
  EXPECT_THROW(PasswordHasher(std::string(kPepperBytesMin - 1, 'p'), fast_params()),
               std::invalid_argument);
  EXPECT_NO_THROW(PasswordHasher(std::string(kPepperBytesMin, 'p'), fast_params()));
  EXPECT_THROW(PasswordHasher(kPepper, Argon2Params{.ops_limit = 0, .memory_kib = 8192}),
               std::invalid_argument);
  EXPECT_THROW(PasswordHasher(kPepper, Argon2Params{.ops_limit = 1, .memory_kib = 1}),
               std::invalid_argument);
  EXPECT_THROW(PasswordHasher(kPepper, Argon2Params{.ops_limit = 1, .memory_kib = UINT64_MAX}),
               std::invalid_argument);
  EXPECT_THROW(PasswordHasher(kPepper, fast_params(0)), std::invalid_argument);
  EXPECT_THROW(PasswordHasher(kPepper, fast_params(kConcurrentHashesMaxLimit + 1)),
               std::invalid_argument);
}

TEST(PasswordHasher, DefaultsAreTheDocumentedOnes) {
  // ARCHITECTURE.md: Argon2id at 19 MiB; OWASP's minimum is t=2 at that size.
  const Argon2Params defaults;
  EXPECT_EQ(defaults.ops_limit, 2u);
  EXPECT_EQ(defaults.memory_kib, 19456u);
  EXPECT_EQ(defaults.concurrent_hashes_max, 2);
}

void run_flood(const PasswordHasher& hasher, int thread_count) {
  std::vector<std::thread> threads;
  std::vector<int> ok(static_cast<std::size_t>(thread_count), 0);
  for (int i = 0; i < thread_count; ++i) {
    threads.emplace_back([&hasher, &ok, i] {
      const std::string pin = "00000" + std::to_string(i % 10);
      const std::string encoded = hasher.hash(pin);
      ok[static_cast<std::size_t>(i)] = hasher.verify(encoded, pin) ? 1 : 0;
    });
  }
  for (auto& t : threads) t.join();
  for (int v : ok) EXPECT_EQ(v, 1);
}

TEST(PasswordHasher, R_W5_ConcurrentHashesAreCapped) {
  const PasswordHasher hasher(kPepper, fast_params(2));
  run_flood(hasher, 12);
  EXPECT_GE(hasher.peak_concurrent_hashes(), 1);
  EXPECT_LE(hasher.peak_concurrent_hashes(), 2);
}

TEST(PasswordHasher, R_W5_CapOfOneSerialisesHashes) {
  const PasswordHasher hasher(kPepper, fast_params(1));
  run_flood(hasher, 6);
  EXPECT_EQ(hasher.peak_concurrent_hashes(), 1);
}

}  // namespace
}  // namespace essc::crypto
