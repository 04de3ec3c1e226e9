// What a server's watch on a file compares (cli/keys.hpp, cli/policy_files.hpp): a file
// replaced by rename, rewritten in place or touched has another stamp.
#pragma once

#include <filesystem>
#include <string>

namespace essc::cli {

// "<inode> <size> <change time in ns>", or empty when the file cannot be read.
std::string file_stamp(const std::filesystem::path& file);

}  // namespace essc::cli
