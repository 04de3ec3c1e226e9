// R-U2: the QR image decodes back to the token with standard readers written elsewhere:
// ZXing-C++ in process, and zbarimg (Debian's zbar-tools) on the PNG file.
#define ZX_USE_UTF8 1
#include "services/qr_image.hpp"

#include <ZXing/ReadBarcode.h>
#include <gtest/gtest.h>
#include <unistd.h>
#include <zlib.h>

#include <cstdio>
#include <filesystem>
#include <fstream>

#include "crypto/keys.hpp"
#include "crypto/qr_token.hpp"
#include "crypto/random.hpp"
#include "services/qr_encoder.hpp"

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

// What zbarimg reads from the PNG file, as it prints it with --raw.
std::string zbarimg(const std::string& png) {
  const auto dir =
      std::filesystem::temp_directory_path() / ("essc-zbar-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  std::ofstream((dir / "code.png").string(), std::ios::binary) << png;
  const auto command = "zbarimg --quiet --raw -Sdisable -Sqrcode.enable " +
                       (dir / "code.png").string() + " 2>/dev/null";
  std::string out;
  if (auto* pipe = ::popen(command.c_str(), "r")) {
    char buffer[512];
    for (std::size_t n; (n = std::fread(buffer, 1, sizeof buffer, pipe)) > 0;)
      out.append(buffer, n);
    ::pclose(pipe);
  }
  std::filesystem::remove_all(dir);
  if (out.ends_with('\n')) out.pop_back();
  return out;
}

// Every size of compact code the platform issues (docs/qr-token.md "The compact form"):
// Ed25519 or SM2, a holder's reference (a binding, 18 bytes) or a family member's (30),
// each a version-7 symbol at level M that ZXing and zbarimg read back; the ESSC1 code
// of the same claims needs version 14 or 15.
TEST(QrImage, R_U2_CompactCodesAreVersion7AndStandardReadersDecodeThem) {
  const auto keys = crypto::KeySet::generate(1'795'651'200'000);
  for (auto algorithm : {crypto::kEd25519, crypto::kSm2}) {
    crypto::QrSigner signer(keys.qr_signing_keys, algorithm);
    for (std::size_t reference_bytes : {18, 30}) {
      for (int i = 0; i < 6; ++i) {
        const auto jti = crypto::random_token(crypto::kQrCompactTokenIdBytes);
        const crypto::QrClaims claims{"",
                                      jti,
                                      "",
                                      i % 2 ? "identity" : "payment",
                                      1'795'651'200 + i,
                                      1'795'651'260 + i,
                                      crypto::random_bytes(reference_bytes)};
        const auto token = signer.sign(claims, crypto::QrFormat::kCompact);
        const auto symbol = encode_qr(token);
        ASSERT_TRUE(symbol);
        EXPECT_EQ(symbol->version(), 7) << algorithm << " " << token.size() << " characters";
        auto png = render_qr_png(token);
        ASSERT_TRUE(png.ok());
        EXPECT_EQ(read_back(token), token);
        EXPECT_EQ(zbarimg(*png), token) << algorithm;
        EXPECT_TRUE(signer.verify(token).ok());
        auto long_form = claims;
        long_form.subject = crypto::random_token(16);
        // ESSC1's ref holds the ids as text: "bd_" and 24 characters (and "\nfm_" and 16).
        long_form.reference = crypto::random_bytes(reference_bytes == 18 ? 27 : 47);
        EXPECT_GE(encode_qr(signer.sign(long_form))->version(), 14);
      }
    }
  }
}

// zbarimg reads the ESSC1 codes too, now that the mask is chosen by the penalty rules.
TEST(QrImage, R_U2_ZbarimgReadsEssc1Codes) {
  crypto::QrSigner signer(crypto::KeySet::generate(1'795'651'200'000).qr_signing_keys);
  for (int i = 0; i < 4; ++i) {
    const auto jti = crypto::random_token(16);
    const auto token = signer.sign({"", jti, crypto::random_token(16), "payment", 1'795'651'200,
                                    1'795'651'260, crypto::random_bytes(18)});
    EXPECT_EQ(zbarimg(*render_qr_png(token)), token);
  }
}

}  // namespace
}  // namespace essc::services
