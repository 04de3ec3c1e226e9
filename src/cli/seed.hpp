// `essc seed`: a data folder filled with many cardholders for load tests
// (docs/performance.md): persons with an active card, an e-card bound in one of the
// seeded channels, and a funded personal medical account, plus the channels and
// pharmacies that call on their behalf.
//
// Seeded data is written exactly as the normal path writes it (PII sealed and
// blind-indexed by the store's repositories), so a server reads it like any other;
// only the bulk is different: prepared statements, one transaction per
// kSeedRowsPerTransaction persons. Argon2id per e-card would take hours at a million,
// so every seeded e-card shares one password hashed once (the PHC string is reused).
//
// The load generator's credentials go to `seed-credentials.txt` in the folder (mode
// 0600, never printed): `key=value` lines with the password, each client's id and
// secret, and the rule that names the bindings:
//   binding i (0 ≤ i < persons) is  binding_prefix + i (decimal, 9 digits, zero-padded)
//   and belongs to channel i mod channels.
#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include "cli/app.hpp"

namespace essc::cli {

inline constexpr std::int64_t kSeedRowsPerTransaction = 10'000;
// Binding ids and card numbers carry the person's index in 9 and 8 digits.
inline constexpr std::int64_t kSeedPersonsMax = 10'000'000;
inline constexpr char kSeedCredentialsFile[] = "seed-credentials.txt";

struct SeedOptions {
  std::int64_t persons = 0;
  int channels = 200;     // each channel has its own rate limit (R-S4)
  int institutions = 50;  // pharmacies
  std::int64_t medical_balance_fen = 1'000'000;
};

// Called after every transaction with (persons written, persons wanted).
using SeedProgress = std::function<void(std::int64_t done, std::int64_t total)>;

// Throws std::runtime_error when the folder already holds persons or seed credentials
// (a second seed is refused, never merged) or when options are out of range.
void seed_data_dir(const DataDir& dir, App& app, const SeedOptions& options,
                   const SeedProgress& progress);

// The verb: initialises the folder if needed, seeds it with a progress bar on standard
// error (plain lines every tenth when it is not a terminal) and prints a summary.
void run_seed_command(const DataDir& dir, const SeedOptions& options);

}  // namespace essc::cli
