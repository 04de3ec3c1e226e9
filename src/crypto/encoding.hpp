// Text encodings of raw bytes: hex, base64 (standard, padded) and base64url (no
// padding), through libsodium's constant-time codecs so that encoding a key or a MAC
// leaks nothing through timing; and Base45 (RFC 9285), the alphabet of a QR code's
// alphanumeric mode, for the compact QR token (docs/qr-token.md), which carries no
// secret.
//
// Thread safety: pure functions, safe from any thread.
// Invariants: every decoder accepts exactly the canonical form of its alphabet and
// returns std::nullopt for anything else (bad characters, wrong length or padding,
// non-zero trailing bits, embedded NULs); a decoder never crashes on any input, and
// from_x(to_x(b)) == b for all bytes b.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace essc::crypto {

// Lowercase hex, two characters a byte.
std::string to_hex(std::string_view bytes);
// Accepts lower- and upper-case digits (even mixed); the length must be even.
std::optional<std::string> from_hex(std::string_view hex);

// RFC 4648 §4 alphabet ('+', '/'), padded with '=' to a multiple of 4.
std::string to_base64(std::string_view bytes);
std::optional<std::string> from_base64(std::string_view text);

// RFC 4648 §5 alphabet ('-', '_'), no '=' padding: for URLs, headers and QR tokens.
std::string to_base64url(std::string_view bytes);
std::optional<std::string> from_base64url(std::string_view text);

// RFC 9285: each two bytes as three characters of "0-9A-Z $%*+-./:" (least significant
// first), a last odd byte as two. The decoder refuses characters outside the alphabet,
// a length of 1 modulo 3 and groups above 65535 (or above 255 for a last pair).
std::string to_base45(std::string_view bytes);
std::optional<std::string> from_base45(std::string_view text);

}  // namespace essc::crypto
