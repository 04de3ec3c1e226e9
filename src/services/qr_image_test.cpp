// R-U2: the QR image decodes back to the token with a standard reader (ZXing-C++).
#define ZX_USE_UTF8 1
#include "services/qr_image.hpp"

#include <ZXing/ReadBarcode.h>
#include <gtest/gtest.h>
#include <zlib.h>

#include "crypto/keys.hpp"
#include "crypto/qr_token.hpp"
#include "crypto/random.hpp"

namespace essc::services {
namespace {

std::uint32_t read_u32(const std::string& s, std::size_t at) {
  std::uint32_t v = 0;
  for (std::size_t i = 0; i < 4; ++i) v = (v << 8) | static_cast<unsigned char>(s[at + i]);
  return v;
}

// A strict reader for the PNG shape we write: every chunk's CRC checked, IDAT inflated,
// each row's filter 0 (none) or 2 (up: each byte added to the one above), and no other.
std::vector<std::uint8_t> decode_png(const std::string& png, int& width, int& height) {
  EXPECT_EQ(png.substr(0, 8), std::string("\x89PNG\r\n\x1a\n", 8));
  std::string idat;
  for (std::size_t at = 8; at + 12 <= png.size();) {
    const auto length = read_u32(png, at);
    const std::string type = png.substr(at + 4, 4);
    const std::string typed = png.substr(at + 4, 4 + length);
    EXPECT_EQ(read_u32(png, at + 8 + length), crc32(0, reinterpret_cast<const Bytef*>(typed.data()),
                                                    static_cast<uInt>(typed.size())));
    if (type == "IHDR") {
      width = static_cast<int>(read_u32(png, at + 8));
      height = static_cast<int>(read_u32(png, at + 12));
      EXPECT_EQ(png[at + 16], 1);  // bit depth
      EXPECT_EQ(png[at + 17], 0);  // greyscale
    }
    if (type == "IDAT") idat += png.substr(at + 8, length);
    at += 12 + length;
  }
  // 1-bit greyscale: each row a filter byte and the pixels eight to a byte, high bit first.
  const auto row_bytes = (static_cast<std::size_t>(width) + 7) / 8;
  std::vector<std::uint8_t> raw(static_cast<std::size_t>(height) * (row_bytes + 1));
  uLongf raw_size = raw.size();
  EXPECT_EQ(
      uncompress(raw.data(), &raw_size, reinterpret_cast<const Bytef*>(idat.data()), idat.size()),
      Z_OK);
  EXPECT_EQ(raw_size, raw.size());
  std::vector<std::uint8_t> pixels;
  for (int y = 0; y < height; ++y) {
    auto* row = raw.data() + static_cast<std::size_t>(y) * (row_bytes + 1);
    if (row[0] == 2) {
      EXPECT_GT(y, 0);
      for (std::size_t i = 1; y > 0 && i <= row_bytes; ++i)
        row[i] = static_cast<std::uint8_t>(row[i] + row[i - row_bytes - 1]);
    } else {
      EXPECT_EQ(row[0], 0);
    }
    for (int x = 0; x < width; ++x) pixels.push_back((row[1 + x / 8] >> (7 - x % 8)) & 1 ? 255 : 0);
  }
  return pixels;
}

TEST(QrImage, R_U2_StandardReaderDecodesTheToken) {
  crypto::QrSigner signer(crypto::KeySet::generate(1'795'651'200'000).qr_signing_keys);
  const auto token = signer.sign({"", "jti-0123456789abcdef", "sub-0123456789ab", "payment",
                                  1'795'651'200, 1'795'651'260, "ref"});
  auto png = render_qr_png(token);
  ASSERT_TRUE(png.ok());
  int width = 0, height = 0;
  const auto pixels = decode_png(*png, width, height);
  ASSERT_GT(width, 100);
  const auto result = ZXing::ReadBarcode({pixels.data(), width, height, ZXing::ImageFormat::Lum});
  ASSERT_TRUE(result.isValid());
  EXPECT_EQ(result.text(), token);
  EXPECT_TRUE(signer.verify(result.text()).ok());
}

std::string read_back(const std::string& token) {
  auto png = render_qr_png(token);
  EXPECT_TRUE(png.ok());
  if (!png) return {};
  int width = 0, height = 0;
  const auto pixels = decode_png(*png, width, height);
  return ZXing::ReadBarcode({pixels.data(), width, height, ZXing::ImageFormat::Lum}).text();
}

// The image is drawn with one fixed mask instead of the best of eight: ZXing must still
// read every code the platform issues, at each of its sizes (Ed25519 or SM2 signature,
// a holder's or a family member's reference), whatever the random bytes of the code.
TEST(QrImage, R_U2_StandardReaderDecodesEverySizeThePlatformIssues) {
  const auto keys = crypto::KeySet::generate(1'795'651'200'000);
  const std::string binding = "bd_" + std::string(24, 'b');
  const std::string member = binding + "\n" + "fm_" + std::string(16, 'm');
  for (auto algorithm : {crypto::kEd25519, crypto::kSm2}) {
    crypto::QrSigner signer(keys.qr_signing_keys, algorithm);
    for (const auto* reference : {&binding, &member}) {
      for (int i = 0; i < 24; ++i) {
        const auto jti = crypto::random_token(16);
        const auto token =
            signer.sign({"", jti, crypto::random_token(16), i % 2 ? "identity" : "payment",
                         1'795'651'200 + i, 1'795'651'260 + i,
                         crypto::qr_reference_cipher(std::string(32, 'k'), jti, *reference)});
        ASSERT_EQ(read_back(token), token) << algorithm << " " << token.size() << " bytes";
      }
    }
  }
}

}  // namespace
}  // namespace essc::services
