// The key file `keys.toml` (mode 0600) that `essc init` creates once and never replaces:
// losing it makes every sealed field and password hash unusable, so nothing here
// overwrites an existing file.
#pragma once

#include <filesystem>

#include "crypto/keys.hpp"

namespace essc::cli {

// Creates the file with O_EXCL and mode 0600. Throws std::runtime_error if it exists or
// cannot be written.
void write_key_file(const std::filesystem::path& file, const crypto::KeySet& keys);
// Throws std::runtime_error naming the problem: missing, readable by others, malformed.
crypto::KeySet read_key_file(const std::filesystem::path& file);
// A key rotation: writes `keys` to a new 0600 file beside `file`, fsyncs it and renames it
// over `file`, so a reader sees the old file or the new one, never half of one. Throws
// std::runtime_error naming the file.
void replace_key_file(const std::filesystem::path& file, const crypto::KeySet& keys);

}  // namespace essc::cli
