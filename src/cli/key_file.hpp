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

}  // namespace essc::cli
