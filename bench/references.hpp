// The machine's own limits, measured in the same run as the server (docs/performance.md):
// durable single-row SQLite commits, Argon2id hashes and Ed25519 signatures on one core.
#pragma once

#include <cstdint>
#include <filesystem>

#include "bench/report.hpp"

namespace essc::bench {

// Single-row INSERT transactions on a fresh file in `dir` with the server's settings
// (WAL, synchronous=FULL), one after another for `seconds`.
Measurement sqlite_commits(const std::filesystem::path& dir, double seconds);

// Argon2id hashes of a 64-character input (the server hashes a hex HMAC) one after
// another on this thread, with the server's parameters.
Measurement argon2_hashes(double seconds, std::uint64_t ops_limit, std::uint64_t memory_kib);

// Ed25519 detached signatures of a QR-token-sized message on this thread.
Measurement ed25519_signatures(double seconds);

}  // namespace essc::bench
