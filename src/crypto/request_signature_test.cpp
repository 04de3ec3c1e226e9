#include "crypto/request_signature.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>

namespace essc::crypto {
namespace {

// A worked example, computed independently of this code with the shell:
//   body='{"name":"Zhang San","id_number":"11010519491231002X"}'
//   printf '%s' "$body" | openssl dgst -sha256 -r
//     -> f8667e657ddc342b829f437d7d524c9980fa45d826f4f92bfbba1c2c04177ab9
//   fmt='POST\n/v1/ecards/verifications?channel=demo&x=1\n1717171717\n%s\n%s'
//   printf "$fmt" AbcDEF0123456789_-xyz f8667e…7ab9 | openssl dgst -sha256 -hmac "$secret" -r
//     -> e18d5a93…3b3d (kSignature below), with secret=cs_live_5f2b8e0c9a4d4e7f
constexpr std::string_view kSecret = "cs_live_5f2b8e0c9a4d4e7f";
constexpr std::string_view kMethod = "POST";
constexpr std::string_view kPath = "/v1/ecards/verifications?channel=demo&x=1";
constexpr std::string_view kTimestamp = "1717171717";
constexpr std::string_view kNonce = "AbcDEF0123456789_-xyz";
constexpr std::string_view kBody = R"({"name":"Zhang San","id_number":"11010519491231002X"})";
constexpr std::string_view kCanonical =
    "POST\n/v1/ecards/verifications?channel=demo&x=1\n1717171717\nAbcDEF0123456789_-xyz\n"
    "f8667e657ddc342b829f437d7d524c9980fa45d826f4f92bfbba1c2c04177ab9";
constexpr std::string_view kSignature =
    "e18d5a936c43a5e31edbf8237f77a2aceaf755614017591bdc70d8dbdae93b3d";

std::string upper(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  return s;
}

TEST(RequestSignature, R_S2_WorkedExample) {
  EXPECT_EQ(canonical_request(kMethod, kPath, kTimestamp, kNonce, kBody), kCanonical);
  EXPECT_EQ(sign_request(kSecret, kCanonical), kSignature);
  EXPECT_TRUE(signature_matches(kSecret, kCanonical, kSignature));
}

TEST(RequestSignature, R_S2_EmptyBodyGetExample) {
  // printf 'GET\n/v1/keys\n1700000000\n0123456789abcdef\ne3b0…b855' |
  //   openssl dgst -sha256 -hmac 'secret-for-get' -r
  const std::string canonical =
      canonical_request("GET", "/v1/keys", "1700000000", "0123456789abcdef", "");
  EXPECT_EQ(canonical,
            "GET\n/v1/keys\n1700000000\n0123456789abcdef\n"
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(sign_request("secret-for-get", canonical),
            "244f979225fa4a435492281e42967a07b18f1d4bd71bd7d03353bbed8d8c0388");
}

TEST(RequestSignature, R_S2_TamperingAnyPartChangesTheSignature) {
  const std::string original = sign_request(kSecret, kCanonical);
  const std::string variants[] = {
      canonical_request("PUT", kPath, kTimestamp, kNonce, kBody),
      canonical_request("post", kPath, kTimestamp, kNonce, kBody),
      canonical_request(kMethod, "/v1/ecards/verifications?channel=demo&x=2", kTimestamp, kNonce,
                        kBody),
      canonical_request(kMethod, "/v1/ecards/verifications", kTimestamp, kNonce, kBody),
      canonical_request(kMethod, kPath, "1717171718", kNonce, kBody),
      canonical_request(kMethod, kPath, kTimestamp, "AbcDEF0123456789_-xyZ", kBody),
      canonical_request(kMethod, kPath, kTimestamp, kNonce,
                        R"({"name":"Zhang San","id_number":"110105194912310021"})"),
      canonical_request(kMethod, kPath, kTimestamp, kNonce, ""),
  };
  for (const std::string& canonical : variants) {
    EXPECT_NE(sign_request(kSecret, canonical), original) << canonical;
    EXPECT_FALSE(signature_matches(kSecret, canonical, kSignature)) << canonical;
  }
  EXPECT_NE(sign_request("cs_live_5f2b8e0c9a4d4e7F", kCanonical), original);
  EXPECT_FALSE(signature_matches("cs_live_5f2b8e0c9a4d4e7F", kCanonical, kSignature));
}

TEST(RequestSignature, R_S2_HexOfEitherCaseIsAccepted) {
  EXPECT_TRUE(signature_matches(kSecret, kCanonical, upper(std::string(kSignature))));
  std::string mixed(kSignature);
  for (std::size_t i = 0; i < mixed.size(); i += 2) {
    mixed[i] = static_cast<char>(std::toupper(static_cast<unsigned char>(mixed[i])));
  }
  EXPECT_TRUE(signature_matches(kSecret, kCanonical, mixed));
}

TEST(RequestSignature, R_S2_MalformedSignatureIsFalse) {
  const std::string sig(kSignature);
  std::string flipped = sig;
  flipped.back() = flipped.back() == '0' ? '1' : '0';
  // Built by assignment, not "g" + …: g++ 12 at -O3 warns falsely (-Wrestrict) on that.
  std::string non_hex = sig;
  non_hex[0] = 'g';
  std::string space = sig;
  space[0] = ' ';
  const std::string bad[] = {
      "",
      sig.substr(0, 63),
      sig.substr(0, 62),
      sig + "0",
      sig + "00",
      non_hex,
      space,
      sig.substr(0, 63) + std::string(1, '\0'),
      flipped,
      std::string(64, '0'),
  };
  for (const std::string& s : bad) {
    EXPECT_FALSE(signature_matches(kSecret, kCanonical, s)) << s;
  }
}

TEST(RequestSignature, R_S2_NonceLengthBounds) {
  EXPECT_FALSE(is_valid_nonce(""));
  EXPECT_FALSE(is_valid_nonce(std::string(15, 'a')));
  EXPECT_TRUE(is_valid_nonce(std::string(16, 'a')));
  EXPECT_TRUE(is_valid_nonce(std::string(64, 'a')));
  EXPECT_FALSE(is_valid_nonce(std::string(65, 'a')));
}

TEST(RequestSignature, R_S2_NonceCharacters) {
  EXPECT_TRUE(is_valid_nonce("ABCDEFGHIJKLMNOPQRSTUVWXYZ"));
  EXPECT_TRUE(is_valid_nonce("abcdefghijklmnopqrstuvwxyz"));
  EXPECT_TRUE(is_valid_nonce("0123456789_-0123"));
  EXPECT_TRUE(is_valid_nonce("----------------"));
  for (const char bad : {'+', '/', '=', '.', ' ', '\n', '\0', '~', '%', '\xff'}) {
    std::string nonce(16, 'a');
    nonce[7] = bad;
    EXPECT_FALSE(is_valid_nonce(nonce)) << static_cast<int>(bad);
  }
  EXPECT_FALSE(is_valid_nonce("中文中文中文中文"));  // 24 bytes, none of them allowed
}

TEST(RequestSignature, R_S2_TimestampParsing) {
  EXPECT_EQ(parse_timestamp("0"), std::optional<std::int64_t>(0));
  EXPECT_EQ(parse_timestamp("1717171717"), std::optional<std::int64_t>(1717171717));
  EXPECT_EQ(parse_timestamp("999999999999"), std::optional<std::int64_t>(999999999999));
  EXPECT_EQ(parse_timestamp("0001717171717").has_value(), false);  // 13 digits
  EXPECT_EQ(parse_timestamp("001717171717"), std::optional<std::int64_t>(1717171717));
  for (const std::string_view bad : {"", "-1", "+1", " 1", "1 ", "1.5", "1e9", "0x10",
                                     "1717171717000", "abc", "9999999999999999999999"}) {
    EXPECT_FALSE(parse_timestamp(bad).has_value()) << bad;
  }
  EXPECT_FALSE(parse_timestamp(std::string_view("17\0"
                                                "1",
                                                4))
                   .has_value());
}

}  // namespace
}  // namespace essc::crypto
