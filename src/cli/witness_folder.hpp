// The folder of a witness (`essc audit witness init|serve`, R-S7): its Ed25519 seed, the
// logs it accepts and the state of each (services/witness.hpp). Nothing here overwrites a
// witness: a new key or an empty state would let a log fork what was cosigned.
//
//   <dir>/                 0700
//     witness.key          0600  base64 of the 32-byte seed, one line
//     witness.toml         0600  name = "<key name>", then [[log]] origin = …, vkey = …
//     log-<hex>.note       0600  the latest cosigned checkpoint of each log
//
// Thread safety: free functions over files; run them from one thread.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "services/witness.hpp"

namespace essc::cli {

struct WitnessFolder {
  services::WitnessIdentity identity;
  std::vector<services::WitnessedLog> logs;
};

// "ORIGIN=VKEY" (the first '=' splits: an origin holds none, a vkey's base64 may end in
// '='). Throws CommandError naming the problem: no '=', empty origin, a vkey that is not
// a log's Ed25519 note key.
services::WitnessedLog parse_witnessed_log(const std::string& text);

// Creates `dir` (0700) with a new seed and the config. Throws CommandError when `dir`
// already holds a witness, a key name is not valid, or an origin repeats; returns the
// witness's vkey.
std::string init_witness_folder(const std::filesystem::path& dir, const std::string& name,
                                const std::vector<services::WitnessedLog>& logs);

// Reads the seed and the config; throws CommandError naming the file that is missing,
// readable by others or malformed.
WitnessFolder read_witness_folder(const std::filesystem::path& dir);

}  // namespace essc::cli
