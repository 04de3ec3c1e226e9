#include "common/utf8.hpp"

namespace essc {
namespace {

// Decodes one character at `at`; returns its length, or 0 when invalid.
std::size_t decode(std::string_view text, std::size_t at, char32_t& out) {
  const auto byte = [&](std::size_t i) { return static_cast<unsigned char>(text[i]); };
  const unsigned char lead = byte(at);
  std::size_t length = 0;
  char32_t cp = 0;
  char32_t min = 0;
  if (lead < 0x80) {
    out = lead;
    return 1;
  } else if ((lead & 0xe0) == 0xc0) {
    length = 2, cp = lead & 0x1f, min = 0x80;
  } else if ((lead & 0xf0) == 0xe0) {
    length = 3, cp = lead & 0x0f, min = 0x800;
  } else if ((lead & 0xf8) == 0xf0) {
    length = 4, cp = lead & 0x07, min = 0x10000;
  } else {
    return 0;
  }
  if (at + length > text.size()) return 0;
  for (std::size_t i = 1; i < length; ++i) {
    if ((byte(at + i) & 0xc0) != 0x80) return 0;
    cp = (cp << 6) | (byte(at + i) & 0x3f);
  }
  if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return 0;
  out = cp;
  return length;
}

}  // namespace

std::optional<std::vector<char32_t>> utf8_code_points(std::string_view text) {
  std::vector<char32_t> out;
  for (std::size_t at = 0; at < text.size();) {
    char32_t cp = 0;
    const auto length = decode(text, at, cp);
    if (length == 0) return std::nullopt;
    out.push_back(cp);
    at += length;
  }
  return out;
}

std::vector<std::size_t> utf8_character_lengths(std::string_view text) {
  std::vector<std::size_t> out;
  for (std::size_t at = 0; at < text.size();) {
    char32_t cp = 0;
    const auto length = decode(text, at, cp);
    if (length == 0) return {};
    out.push_back(length);
    at += length;
  }
  return out;
}

}  // namespace essc
