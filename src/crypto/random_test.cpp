#include "crypto/random.hpp"

#include <gtest/gtest.h>

#include <array>
#include <set>

#include "crypto/encoding.hpp"

namespace essc::crypto {
namespace {

TEST(Random, BytesHaveRequestedLength) {
  EXPECT_EQ(random_bytes(0).size(), 0u);
  EXPECT_EQ(random_bytes(1).size(), 1u);
  EXPECT_EQ(random_bytes(32).size(), 32u);
  EXPECT_NE(random_bytes(32), random_bytes(32));
}

TEST(Random, TokenIsBase64UrlWithoutPadding) {
  const std::string token = random_token();
  EXPECT_EQ(token.size(), 43u);  // ceil(32 * 4 / 3) without '='
  EXPECT_EQ(
      token.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"),
      std::string::npos);
  const auto decoded = from_base64url(token);
  ASSERT_TRUE(decoded.has_value());
  EXPECT_EQ(decoded->size(), 32u);
  EXPECT_EQ(random_token(16).size(), 22u);
  EXPECT_NE(random_token(), random_token());
}

TEST(Random, R_S3_DigitsAreDigitsOfRequestedLength) {
  EXPECT_EQ(random_digits(0), "");
  for (int i = 0; i < 100; ++i) {
    const std::string code = random_digits(6);
    ASSERT_EQ(code.size(), 6u);
    EXPECT_EQ(code.find_first_not_of("0123456789"), std::string::npos);
  }
}

TEST(Random, R_S3_DigitsAreRoughlyUniform) {
  // 60000 digits: each count is ~Binomial(60000, 0.1), sd ≈ 73; a ±600 band (> 8 sd)
  // never fails by chance but catches a stuck or heavily biased generator.
  std::array<int, 10> counts{};
  for (int i = 0; i < 10000; ++i) {
    for (char c : random_digits(6)) ++counts[static_cast<std::size_t>(c - '0')];
  }
  for (int n : counts) {
    EXPECT_GT(n, 6000 - 600);
    EXPECT_LT(n, 6000 + 600);
  }
}

TEST(Random, UniformStaysInRange) {
  EXPECT_EQ(random_uniform(1), 0u);
  std::set<std::uint32_t> seen;
  for (int i = 0; i < 1000; ++i) {
    const std::uint32_t v = random_uniform(7);
    ASSERT_LT(v, 7u);
    seen.insert(v);
  }
  EXPECT_EQ(seen.size(), 7u);
}

}  // namespace
}  // namespace essc::crypto
