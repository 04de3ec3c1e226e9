// SHA-256, HMAC-SHA256, SipHash and a constant-time comparison: the primitives under
// the password pepper (R-W5), request signatures and their nonces (R-S2), blind indexes
// (R-S5) and the audit chain.
//
// Thread safety: pure functions, safe from any thread.
// Invariants: sha256 and hmac_sha256 return exactly 32 raw bytes (kSha256Bytes);
// constant_time_equal's time depends only on the lengths, never on the contents.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace essc::crypto {

inline constexpr std::size_t kSha256Bytes = 32;
inline constexpr std::size_t kShortHashKeyBytes = 16;

// Raw 32-byte SHA-256 digest.
std::string sha256(std::string_view data);

// Raw 32-byte HMAC-SHA256 (RFC 2104) with a key of any length, including empty and
// longer than the 64-byte block (such a key is hashed first, as the RFC says).
std::string hmac_sha256(std::string_view key, std::string_view data);

// SipHash-2-4 of data under a kShortHashKeyBytes key: a 64-bit digest for hash tables
// whose keys come from outside, so nobody without the key can aim for collisions.
std::uint64_t short_hash(std::string_view key, std::string_view data);

// True when a and b hold the same bytes. Different lengths answer false at once (a
// length is not secret: MACs and digests have fixed sizes); equal lengths are compared
// in constant time so a forger cannot learn a MAC byte by byte from response timing.
bool constant_time_equal(std::string_view a, std::string_view b);

}  // namespace essc::crypto
