#include "crypto/encoding.hpp"

#include <sodium.h>

#include <algorithm>

namespace essc::crypto {
namespace {

bool is_hex_digit(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

bool is_alnum_ascii(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

// libsodium 1.0.18's constant-time decoder reads a byte as a signed char and decodes
// 0xFF as '/' (or '_'), so "\xFF" alone would pass for a valid digit: every character
// is checked against the alphabet here first. `c62` and `c63` are the variant's last
// two digits; '=' is allowed only for the padded variant (libsodium checks its place).
bool all_in_base64_alphabet(std::string_view text, char c62, char c63, bool padded) {
  for (char c : text) {
    if (!is_alnum_ascii(c) && c != c62 && c != c63 && !(padded && c == '=')) return false;
  }
  return true;
}

std::string encode_base64(std::string_view bytes, int variant) {
  // The encoded length includes the terminating NUL that libsodium writes.
  const std::size_t encoded_len = sodium_base64_encoded_len(bytes.size(), variant);
  std::string out(encoded_len, '\0');
  sodium_bin2base64(out.data(), out.size(), reinterpret_cast<const unsigned char*>(bytes.data()),
                    bytes.size(), variant);
  out.resize(encoded_len - 1);
  return out;
}

std::optional<std::string> decode_base64(std::string_view text, int variant) {
  // Every 4 characters give at most 3 bytes; +3 covers a partial last group.
  std::string out(text.size() / 4 * 3 + 3, '\0');
  std::size_t out_len = 0;
  const char* end = nullptr;
  // `end` tells how far libsodium read: anything left over (a bad character, an
  // embedded NUL, text after the padding) makes the whole input malformed. The
  // decoder itself rejects bad padding and non-zero trailing bits.
  const int rc =
      sodium_base642bin(reinterpret_cast<unsigned char*>(out.data()), out.size(), text.data(),
                        text.size(), /*ignore=*/nullptr, &out_len, &end, variant);
  if (rc != 0 || end != text.data() + text.size()) return std::nullopt;
  out.resize(out_len);
  return out;
}

}  // namespace

std::string to_hex(std::string_view bytes) {
  std::string out(bytes.size() * 2 + 1, '\0');
  sodium_bin2hex(out.data(), out.size(), reinterpret_cast<const unsigned char*>(bytes.data()),
                 bytes.size());
  out.resize(bytes.size() * 2);
  return out;
}

std::optional<std::string> from_hex(std::string_view hex) {
  // Checked here as well as by libsodium, so that what is accepted does not depend on
  // the libsodium version's handling of odd lengths and trailing characters.
  if (hex.size() % 2 != 0) return std::nullopt;
  for (char c : hex) {
    if (!is_hex_digit(c)) return std::nullopt;
  }
  std::string out(hex.size() / 2, '\0');
  std::size_t out_len = 0;
  const char* end = nullptr;
  const int rc = sodium_hex2bin(reinterpret_cast<unsigned char*>(out.data()), out.size(),
                                hex.data(), hex.size(), /*ignore=*/nullptr, &out_len, &end);
  if (rc != 0 || end != hex.data() + hex.size() || out_len != out.size()) return std::nullopt;
  return out;
}

std::string to_base64(std::string_view bytes) {
  return encode_base64(bytes, sodium_base64_VARIANT_ORIGINAL);
}

std::optional<std::string> from_base64(std::string_view text) {
  // The padded form is always a multiple of 4 long; libsodium alone would accept a
  // missing final '=' group in some versions.
  if (text.size() % 4 != 0) return std::nullopt;
  if (!all_in_base64_alphabet(text, '+', '/', /*padded=*/true)) return std::nullopt;
  return decode_base64(text, sodium_base64_VARIANT_ORIGINAL);
}

std::string to_base64url(std::string_view bytes) {
  return encode_base64(bytes, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
}

std::optional<std::string> from_base64url(std::string_view text) {
  // One character left over carries only 6 bits, less than a byte: never canonical.
  if (text.size() % 4 == 1) return std::nullopt;
  if (!all_in_base64_alphabet(text, '-', '_', /*padded=*/false)) return std::nullopt;
  return decode_base64(text, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
}

namespace {

constexpr std::string_view kBase45Alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:";

int base45_digit(char c) {
  const auto at = kBase45Alphabet.find(c);
  return at == std::string_view::npos ? -1 : static_cast<int>(at);
}

}  // namespace

std::string to_base45(std::string_view bytes) {
  std::string out;
  out.reserve(bytes.size() / 2 * 3 + 2);
  std::size_t i = 0;
  for (; i + 1 < bytes.size(); i += 2) {
    auto n = static_cast<unsigned>(static_cast<unsigned char>(bytes[i])) * 256 +
             static_cast<unsigned char>(bytes[i + 1]);
    for (int digit = 0; digit < 3; ++digit, n /= 45) out += kBase45Alphabet[n % 45];
  }
  if (i < bytes.size()) {
    const unsigned n = static_cast<unsigned char>(bytes[i]);
    out += kBase45Alphabet[n % 45];
    out += kBase45Alphabet[n / 45];
  }
  return out;
}

std::optional<std::string> from_base45(std::string_view text) {
  if (text.size() % 3 == 1) return std::nullopt;
  std::string out;
  out.reserve(text.size() / 3 * 2 + 1);
  for (std::size_t i = 0; i < text.size(); i += 3) {
    const std::size_t group = std::min<std::size_t>(3, text.size() - i);
    unsigned n = 0;
    for (std::size_t d = group; d-- > 0;) {
      const int digit = base45_digit(text[i + d]);
      if (digit < 0) return std::nullopt;
      n = n * 45 + static_cast<unsigned>(digit);
    }
    if (group == 3) {
      if (n > 0xffff) return std::nullopt;
      out += static_cast<char>(n >> 8);
    } else if (n > 0xff) {
      return std::nullopt;
    }
    out += static_cast<char>(n & 0xff);
  }
  return out;
}

}  // namespace essc::crypto
