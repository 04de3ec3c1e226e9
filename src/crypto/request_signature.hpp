// Signed client requests (R-S2, API.md "Authentication").
//
// Every channel and institution call carries X-Essc-Client, X-Essc-Timestamp,
// X-Essc-Nonce and X-Essc-Signature, where
//
//   canonical = METHOD "\n" PATH_AND_QUERY "\n" TIMESTAMP "\n" NONCE "\n" hex(SHA256(body))
//   signature = hex(HMAC-SHA256(client_secret, canonical))
//
// This file holds only the pure parts: building the canonical string, signing,
// checking a signature and the header syntax. The HTTP layer checks the timestamp
// window (300 s) and the nonce's single use in that window.
//
// Thread safety: pure functions, safe from any thread.
// Invariants: sign_request emits lowercase hex; signature_matches accepts either case
// and compares in constant time, so response timing reveals nothing about the expected
// MAC; every parser refuses malformed input with false / nullopt, never a crash.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace essc::crypto {

// API.md: a nonce is 16–64 characters of [A-Za-z0-9_-].
inline constexpr std::size_t kNonceCharsMin = 16;
inline constexpr std::size_t kNonceCharsMax = 64;
// 12 decimal digits reach the year 33658: every plausible clock, and far below the
// int64 range, so parsing cannot overflow.
inline constexpr std::size_t kTimestampDigitsMax = 12;

// The string both sides sign. The body enters only through its digest, so the HMAC
// input stays small whatever the body's size.
std::string canonical_request(std::string_view method, std::string_view path_and_query,
                              std::string_view timestamp, std::string_view nonce,
                              std::string_view body);

// Lowercase hex HMAC-SHA256(client_secret, canonical): 64 characters.
std::string sign_request(std::string_view client_secret, std::string_view canonical);

// True when signature_hex (either case) is the HMAC of canonical under client_secret.
// Malformed hex or a wrong length is false.
bool signature_matches(std::string_view client_secret, std::string_view canonical,
                       std::string_view signature_hex);

// The X-Essc-Nonce syntax: kNonceCharsMin..kNonceCharsMax characters of [A-Za-z0-9_-].
bool is_valid_nonce(std::string_view nonce);

// The X-Essc-Timestamp syntax: 1..kTimestampDigitsMax ASCII digits, unix seconds. No
// sign, spaces or other characters.
std::optional<std::int64_t> parse_timestamp(std::string_view timestamp);

}  // namespace essc::crypto
