// Cryptographically secure randomness: keys, nonces, tokens, one-time codes.
//
// Every value comes from libsodium's randombytes (the OS CSPRNG, getrandom(2) on
// Linux), never from <random>: tokens, QR ids and SMS codes (R-S3) must not be
// predictable from earlier outputs.
//
// Thread safety: every function is safe to call from any thread at once.
// Invariants: random_digits and random_uniform are exactly uniform (no modulo bias,
// randombytes_uniform rejects the biased tail).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

namespace essc::crypto {

// `count` raw random bytes.
std::string random_bytes(std::size_t count);

// `byte_count` random bytes as base64url without padding: safe in URLs, headers and
// file names. 32 bytes (256 bits) is the default for bearer tokens.
std::string random_token(std::size_t byte_count = 32);

// `count` decimal digits, each uniform in 0..9 (leading zeros kept), e.g. SMS codes.
// REQUIRES: count >= 0.
std::string random_digits(int count);

// A uniform value in [0, upper_exclusive).
// REQUIRES: upper_exclusive > 0.
std::uint32_t random_uniform(std::uint32_t upper_exclusive);

}  // namespace essc::crypto
