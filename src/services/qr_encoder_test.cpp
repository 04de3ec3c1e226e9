// R-U2: the platform's own QR encoder makes, module for module, the symbol Project
// Nayuki's qrcodegen (Debian's libqrcodegencpp, written elsewhere) makes for the same
// text, level and mask — every version, every level, every mask and each data mode —
// and chooses the same mask by the penalty rules.
#include "services/qr_encoder.hpp"

#include <gtest/gtest.h>

#include <qrcodegen/qrcodegen.hpp>
#include <random>
#include <string>

namespace essc::services {
namespace {

constexpr QrEcc kLevels[] = {QrEcc::kLow, QrEcc::kMedium, QrEcc::kQuartile, QrEcc::kHigh};

qrcodegen::QrCode::Ecc reference_level(QrEcc ecc) {
  switch (ecc) {
    case QrEcc::kLow:
      return qrcodegen::QrCode::Ecc::LOW;
    case QrEcc::kMedium:
      return qrcodegen::QrCode::Ecc::MEDIUM;
    case QrEcc::kQuartile:
      return qrcodegen::QrCode::Ecc::QUARTILE;
    default:
      return qrcodegen::QrCode::Ecc::HIGH;
  }
}

qrcodegen::QrCode reference(const std::string& text, QrEcc ecc, int mask) {
  return qrcodegen::QrCode::encodeSegments(qrcodegen::QrSegment::makeSegments(text.c_str()),
                                           reference_level(ecc), qrcodegen::QrCode::MIN_VERSION,
                                           qrcodegen::QrCode::MAX_VERSION, mask, false);
}

// Every module, the version and the mask.
::testing::AssertionResult same_symbol(const std::string& text, QrEcc ecc, int mask) {
  const auto theirs = reference(text, ecc, mask);
  const auto ours = encode_qr(text, ecc, mask);
  if (!ours) return ::testing::AssertionFailure() << "not encoded";
  if (ours->version() != theirs.getVersion() || ours->mask() != theirs.getMask())
    return ::testing::AssertionFailure()
           << "version " << ours->version() << " mask " << ours->mask() << ", qrcodegen version "
           << theirs.getVersion() << " mask " << theirs.getMask();
  for (int y = 0; y < theirs.getSize(); ++y) {
    for (int x = 0; x < theirs.getSize(); ++x) {
      if (ours->dark(x, y) != theirs.getModule(x, y))
        return ::testing::AssertionFailure() << "module (" << x << ", " << y << ") differs";
    }
  }
  return ::testing::AssertionSuccess();
}

std::string random_text(std::mt19937& random, std::string_view alphabet, std::size_t length) {
  std::uniform_int_distribution<std::size_t> pick(0, alphabet.size() - 1);
  std::string text;
  for (std::size_t i = 0; i < length; ++i) text += alphabet[pick(random)];
  return text;
}

constexpr std::string_view kBytes = "abcdefghijklmnopqrstuvwxyz0123456789-_.~!ABCXYZ";
constexpr std::string_view kAlphanumeric = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:";
constexpr std::string_view kDigits = "0123456789";

// The longest text of `alphabet` that still fits `version` at `ecc`, by qrcodegen.
std::size_t capacity(std::string_view alphabet, int version, QrEcc ecc) {
  std::size_t fits = 1, too_long = 8000;
  while (too_long - fits > 1) {
    const auto middle = (fits + too_long) / 2;
    std::string text(middle, alphabet[1]);
    text[0] = alphabet[0];
    bool in = false;
    try {
      in = reference(text, ecc, 0).getVersion() <= version;
    } catch (const qrcodegen::data_too_long&) {
    }
    (in ? fits : too_long) = middle;
  }
  return fits;
}

TEST(QrEncoder, R_U2_SameSymbolAsQrcodegenForEveryVersionLevelAndMask) {
  std::mt19937 random(7);
  for (const auto ecc : kLevels) {
    for (int version = 1; version <= 40; ++version) {
      // Full to the last codeword: the most data modules, and the pad bytes of none.
      std::string text = "a";
      text += random_text(random, kBytes, capacity(kBytes, version, ecc) - 1);
      for (int mask = 0; mask < 8; ++mask)
        ASSERT_TRUE(same_symbol(text, ecc, mask)) << "version " << version << " mask " << mask;
      ASSERT_TRUE(same_symbol(text, ecc, kQrMaskAuto)) << "version " << version;
      // A shorter text of the same version: pad bytes and a terminator.
      ASSERT_TRUE(same_symbol(text.substr(0, text.size() * 9 / 10 + 1), ecc, kQrMaskAuto))
          << "version " << version;
    }
  }
}

TEST(QrEncoder, R_U2_AlphanumericAndNumericModesAsQrcodegen) {
  std::mt19937 random(11);
  for (std::size_t length = 1; length <= 400; length += 1 + length / 8) {
    for (const auto ecc : kLevels) {
      ASSERT_TRUE(same_symbol(random_text(random, kAlphanumeric, length), ecc, kQrMaskAuto))
          << length;
      ASSERT_TRUE(same_symbol(random_text(random, kDigits, length), ecc, kQrMaskAuto)) << length;
    }
  }
}

// The mask of least penalty, as qrcodegen scores the four rules, over many symbols of the
// sizes the platform draws: each of them picks masks 0…7 now and then.
TEST(QrEncoder, R_U2_ChoosesTheMaskQrcodegenChooses) {
  std::mt19937 random(13);
  std::array<int, 8> chosen{};
  for (int i = 0; i < 400; ++i) {
    std::string text = i % 2 ? "EC1:" : "ESSC1.";
    text += i % 2 ? random_text(random, kAlphanumeric, 150 + static_cast<std::size_t>(i % 30))
                  : random_text(random, kBytes, 280 + static_cast<std::size_t>(i % 40));
    const auto ours = encode_qr(text);
    ASSERT_TRUE(ours);
    ASSERT_TRUE(same_symbol(text, QrEcc::kMedium, kQrMaskAuto)) << text;
    ++chosen[static_cast<std::size_t>(ours->mask())];
  }
  for (int mask = 0; mask < 8; ++mask) EXPECT_GT(chosen[static_cast<std::size_t>(mask)], 0) << mask;
}

TEST(QrEncoder, R_U2_TextBeyondVersion40IsRefused) {
  EXPECT_FALSE(encode_qr(std::string(2332, 'a'), QrEcc::kMedium).has_value());
  EXPECT_TRUE(encode_qr(std::string(2331, 'a'), QrEcc::kMedium).has_value());
  EXPECT_FALSE(encode_qr(std::string(7090, '7'), QrEcc::kLow).has_value());
  EXPECT_EQ(encode_qr(std::string(7089, '7'), QrEcc::kLow)->version(), 40);
}

}  // namespace
}  // namespace essc::services
