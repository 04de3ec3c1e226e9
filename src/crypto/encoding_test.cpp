#include "crypto/encoding.hpp"

#include <gtest/gtest.h>

#include "crypto/random.hpp"

namespace essc::crypto {
namespace {

using namespace std::string_literals;

TEST(Encoding, HexEncodesLowercase) {
  EXPECT_EQ(to_hex(""), "");
  EXPECT_EQ(to_hex("\x00\x01\xab\xff"s), "0001abff");
}

TEST(Encoding, HexDecodesEitherCase) {
  EXPECT_EQ(from_hex(""), std::optional<std::string>(""));
  EXPECT_EQ(from_hex("0001abff"), std::optional<std::string>("\x00\x01\xab\xff"s));
  EXPECT_EQ(from_hex("0001ABFF"), std::optional<std::string>("\x00\x01\xab\xff"s));
  EXPECT_EQ(from_hex("0001aBfF"), std::optional<std::string>("\x00\x01\xab\xff"s));
}

TEST(Encoding, HexRejectsMalformed) {
  for (const std::string& bad : {"0"s, "abc"s, "0g"s, "zz"s, " 00"s, "00 "s, "0 0"s, "00\n"s,
                                 "0x00"s, "00:11"s, "\0\0"s, "00\0"s + "0"s, "ab\xff"s}) {
    EXPECT_FALSE(from_hex(bad).has_value()) << "input: " << bad;
  }
}

TEST(Encoding, Base64MatchesRfc4648Vectors) {
  const std::pair<std::string, std::string> vectors[] = {
      {"", ""},
      {"f", "Zg=="},
      {"fo", "Zm8="},
      {"foo", "Zm9v"},
      {"foob", "Zm9vYg=="},
      {"fooba", "Zm9vYmE="},
      {"foobar", "Zm9vYmFy"},
  };
  for (const auto& [plain, encoded] : vectors) {
    EXPECT_EQ(to_base64(plain), encoded);
    EXPECT_EQ(from_base64(encoded), std::optional<std::string>(plain));
  }
}

TEST(Encoding, Base64UrlMatchesRfc4648VectorsWithoutPadding) {
  const std::pair<std::string, std::string> vectors[] = {
      {"", ""},           {"f", "Zg"},          {"fo", "Zm8"},          {"foo", "Zm9v"},
      {"foob", "Zm9vYg"}, {"fooba", "Zm9vYmE"}, {"foobar", "Zm9vYmFy"},
  };
  for (const auto& [plain, encoded] : vectors) {
    EXPECT_EQ(to_base64url(plain), encoded);
    EXPECT_EQ(from_base64url(encoded), std::optional<std::string>(plain));
  }
}

TEST(Encoding, AlphabetsDiffer) {
  const std::string bytes = "\xfb\xff\xbf"s;
  EXPECT_EQ(to_base64(bytes), "+/+/");
  EXPECT_EQ(to_base64url(bytes), "-_-_");
  EXPECT_FALSE(from_base64("-_-_").has_value());
  EXPECT_FALSE(from_base64url("+/+/").has_value());
}

TEST(Encoding, Base64RejectsMalformed) {
  for (const std::string& bad :
       {"Zg"s, "Zg="s, "Zg==="s, "Z==="s, "===="s, "Zh=="s /* non-zero trailing bits */,
        "Zm9="s /* non-zero trailing bits */, "Zg==Zg=="s, "Zm9v\n"s, " Zm9v"s, "Zm 9v"s, "Zm9v\0"s,
        "Zm\0v"s, "Zm9v!AAA"s, "Zm9\xff"s}) {
    EXPECT_FALSE(from_base64(bad).has_value()) << "input: " << bad;
  }
}

TEST(Encoding, Base64UrlRejectsMalformed) {
  for (const std::string& bad : {"Z"s, "Zg=="s, "Zg="s, "Zh"s /* non-zero trailing bits */,
                                 "Zm9"s /* non-zero trailing bits */, "Zm9vZ"s, "Zm9v\n"s, " Zm9v"s,
                                 "Zm9v\0"s, "Zm+v"s, "Zm/v"s, "Zm9\xff"s}) {
    EXPECT_FALSE(from_base64url(bad).has_value()) << "input: " << bad;
  }
}

TEST(Encoding, HighBytesAreNotDigits) {
  // libsodium 1.0.18 alone decodes 0xFF as '/' or '_' (signed char arithmetic).
  for (int b = 0x80; b <= 0xff; ++b) {
    const std::string text = std::string("Zm9") + static_cast<char>(b);
    EXPECT_FALSE(from_base64(text).has_value()) << b;
    EXPECT_FALSE(from_base64url(text).has_value()) << b;
    EXPECT_FALSE(from_hex(std::string("0") + static_cast<char>(b)).has_value()) << b;
  }
}

TEST(Encoding, RoundTripsEveryLengthAndByte) {
  std::string all_bytes;
  for (int b = 0; b < 256; ++b) all_bytes.push_back(static_cast<char>(b));
  EXPECT_EQ(from_hex(to_hex(all_bytes)), std::optional<std::string>(all_bytes));
  EXPECT_EQ(from_base64(to_base64(all_bytes)), std::optional<std::string>(all_bytes));
  EXPECT_EQ(from_base64url(to_base64url(all_bytes)), std::optional<std::string>(all_bytes));
  for (std::size_t n = 0; n <= 70; ++n) {
    const std::string bytes = random_bytes(n);
    EXPECT_EQ(from_hex(to_hex(bytes)), std::optional<std::string>(bytes));
    EXPECT_EQ(from_base64(to_base64(bytes)), std::optional<std::string>(bytes));
    EXPECT_EQ(from_base64url(to_base64url(bytes)), std::optional<std::string>(bytes));
  }
}

// RFC 9285 §4.3 and §4.4.
TEST(Encoding, Base45MatchesRfc9285Vectors) {
  EXPECT_EQ(to_base45("AB"), "BB8");
  EXPECT_EQ(to_base45("Hello!!"), "%69 VD92EX0");
  EXPECT_EQ(to_base45("base-45"), "UJCLQE7W581");
  EXPECT_EQ(to_base45(""), "");
  EXPECT_EQ(from_base45("QED8WEX0"), std::optional<std::string>("ietf!"));
  EXPECT_EQ(from_base45("BB8"), std::optional<std::string>("AB"));
  EXPECT_EQ(to_base45(std::string("\xff\xff\xff", 3)), "FGWU5");
}

TEST(Encoding, Base45RejectsMalformed) {
  // "GGW" is 65536 and ":;" leaves the alphabet (RFC 9285 §6); a lone character and a
  // last pair above 255 ("U6" = 276) are no encoding of anything; lowercase is not Base45.
  for (std::string_view bad : {"GGW", "GGW000", "A", "BB8A", "U6", "::", "bb8", "BB\n"}) {
    EXPECT_FALSE(from_base45(bad).has_value()) << bad;
  }
  const std::string all_bytes = [] {
    std::string s;
    for (int b = 0; b < 256; ++b) s.push_back(static_cast<char>(b));
    return s;
  }();
  EXPECT_EQ(from_base45(to_base45(all_bytes)), std::optional<std::string>(all_bytes));
  for (std::size_t n = 0; n <= 70; ++n) {
    const std::string bytes = random_bytes(n);
    const auto text = to_base45(bytes);
    EXPECT_EQ(text.size(), n / 2 * 3 + n % 2 * 2);
    EXPECT_EQ(from_base45(text), std::optional<std::string>(bytes));
  }
}

TEST(Encoding, DecodersNeverCrashOnRandomInput) {
  // Random text drawn mostly from the alphabets themselves, so that many inputs get
  // deep into the decoders; the only requirement is an answer without a crash, and
  // that whatever is accepted re-encodes to exactly the input (canonical forms only).
  const std::string alphabet =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/-_= \n\0\xff"s;
  for (int i = 0; i < 5000; ++i) {
    const std::size_t length = random_uniform(13);
    std::string text;
    for (std::size_t j = 0; j < length; ++j) {
      text.push_back(alphabet[random_uniform(static_cast<std::uint32_t>(alphabet.size()))]);
    }
    if (auto d = from_base64(text)) {
      EXPECT_EQ(to_base64(*d), text);
    }
    if (auto d = from_base64url(text)) {
      EXPECT_EQ(to_base64url(*d), text);
    }
    if (auto d = from_hex(text)) {
      EXPECT_EQ(d->size() * 2, text.size());
    }
  }
}

}  // namespace
}  // namespace essc::crypto
