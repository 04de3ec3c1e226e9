#include "crypto/hash.hpp"

#include <gtest/gtest.h>

#include "crypto/encoding.hpp"

namespace essc::crypto {
namespace {

std::string bytes(std::size_t count, unsigned char value) {
  return std::string(count, static_cast<char>(value));
}

TEST(Sha256, KnownDigests) {
  // FIPS 180-2 appendix B.1 and the digest of the empty string.
  EXPECT_EQ(to_hex(sha256("abc")),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(to_hex(sha256("")), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(sha256("abc").size(), kSha256Bytes);
}

// RFC 4231 §4: test cases 1–4, 6 and 7 in full; 5 (truncated output) on its prefix.
TEST(HmacSha256, R_S2_Rfc4231Case1) {
  EXPECT_EQ(to_hex(hmac_sha256(bytes(20, 0x0b), "Hi There")),
            "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
}

TEST(HmacSha256, R_S2_Rfc4231Case2ShortKey) {
  EXPECT_EQ(to_hex(hmac_sha256("Jefe", "what do ya want for nothing?")),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
}

TEST(HmacSha256, R_S2_Rfc4231Case3) {
  EXPECT_EQ(to_hex(hmac_sha256(bytes(20, 0xaa), bytes(50, 0xdd))),
            "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe");
}

TEST(HmacSha256, R_S2_Rfc4231Case4) {
  std::string key;
  for (int i = 1; i <= 25; ++i) key.push_back(static_cast<char>(i));
  EXPECT_EQ(to_hex(hmac_sha256(key, bytes(50, 0xcd))),
            "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b");
}

TEST(HmacSha256, R_S2_Rfc4231Case5Truncated) {
  EXPECT_EQ(to_hex(hmac_sha256(bytes(20, 0x0c), "Test With Truncation")).substr(0, 32),
            "a3b6167473100ee06e0c796c2955552b");
}

TEST(HmacSha256, R_S2_Rfc4231Case6KeyLongerThanBlock) {
  EXPECT_EQ(to_hex(hmac_sha256(bytes(131, 0xaa),
                               "Test Using Larger Than Block-Size Key - Hash Key First")),
            "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54");
}

TEST(HmacSha256, R_S2_Rfc4231Case7KeyAndDataLongerThanBlock) {
  EXPECT_EQ(
      to_hex(hmac_sha256(bytes(131, 0xaa),
                         "This is a test using a larger than block-size key and a larger than "
                         "block-size data. The key needs to be hashed before being used by the "
                         "HMAC algorithm.")),
      "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2");
}

TEST(HmacSha256, EmptyKeyAndData) {
  // Python: hmac.new(b"", b"", hashlib.sha256).hexdigest()
  EXPECT_EQ(to_hex(hmac_sha256("", "")),
            "b613679a0814d9ec772f95d778c35fc5ff1697c493715653c6c712144292c5ad");
}

TEST(ConstantTimeEqual, ComparesContentAndLength) {
  EXPECT_TRUE(constant_time_equal("", ""));
  EXPECT_TRUE(constant_time_equal("abc", "abc"));
  EXPECT_FALSE(constant_time_equal("abc", "abd"));
  EXPECT_FALSE(constant_time_equal("abc", "xbc"));
  EXPECT_FALSE(constant_time_equal("abc", "ab"));
  EXPECT_FALSE(constant_time_equal("", "a"));
  EXPECT_TRUE(constant_time_equal(std::string("a\0b", 3), std::string("a\0b", 3)));
  EXPECT_FALSE(constant_time_equal(std::string("a\0b", 3), std::string("a\0c", 3)));
}

// The reference vectors of the SipHash paper (Aumasson and Bernstein, appendix A):
// key 00 01 … 0f, messages 00 01 … of growing length, digests read little-endian.
TEST(ShortHash, R_S2_SipHashReferenceVectors) {
  std::string key;
  for (int i = 0; i < 16; ++i) key.push_back(static_cast<char>(i));
  EXPECT_EQ(short_hash(key, ""), 0x726fdb47dd0e0e31u);
  EXPECT_EQ(short_hash(key, std::string(1, '\0')), 0x74f839c593dc67fdu);
  std::string fifteen;
  for (int i = 0; i < 15; ++i) fifteen.push_back(static_cast<char>(i));
  EXPECT_EQ(short_hash(key, fifteen), 0xa129ca6149be45e5u);
  EXPECT_THROW(short_hash("short", ""), std::invalid_argument);
}

}  // namespace
}  // namespace essc::crypto
