// The folder of a witness (`essc audit witness init|serve`, R-S7; API.md "Command line"):
// its Ed25519 seed, its name and the state of each log it witnessed
// (services/witness.hpp). The logs are named at `serve` by their verifier keys, so a log's
// key rotation (R-S9) is a restart with its new key as one more `--log` of its origin
// (the old one may stay until no checkpoint it signed is still on its way): the state of
// its origin stays.
// Nothing here overwrites a witness: a new key or an empty state would let a log fork
// what was cosigned.
//
//   <dir>/                 0700
//     witness.key          0600  base64 of the 32-byte seed, one line
//     witness.toml         0600  name = "<key name>"
//     log-<hex>.note       0600  the latest cosigned checkpoint of each log
//
// Thread safety: free functions over files; run them from one thread.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "services/witness.hpp"

namespace essc::cli {

// The logs of `--log` values: "VKEY", a log whose origin is its key name (the platform's
// is, API.md "Audit log"), or "ORIGIN=VKEY" for one whose origin differs (a log's Ed25519
// vkey holds no '=': 33 bytes are 44 base64 characters without padding). Several values
// of one origin are the keys of one log (a rotated log's old and new key). Throws
// CommandError naming the value that is not a log's note key, or a key given twice.
std::vector<services::WitnessedLog> parse_witnessed_logs(const std::vector<std::string>& values);

// Creates `dir` (0700) with a new seed and the config. Throws CommandError when `dir`
// already holds a witness or the name is not a valid key name; returns the witness's
// vkey.
std::string init_witness_folder(const std::filesystem::path& dir, const std::string& name);

// Reads the seed and the name; throws CommandError naming the file that is missing,
// readable by others or malformed.
services::WitnessIdentity read_witness_folder(const std::filesystem::path& dir);

}  // namespace essc::cli
