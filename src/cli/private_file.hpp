// Files that hold secrets (the key file, the demo clients' credentials): created once,
// readable by the owner only, flushed to disk before anyone is told they exist.
#pragma once

#include <filesystem>
#include <string_view>

namespace essc::cli {

// Creates the file with O_EXCL and mode 0600, writes text and fsyncs it. Throws
// std::runtime_error naming the file if it exists or cannot be written.
void write_private_file(const std::filesystem::path& file, std::string_view text);

// Every file the platform writes is the owner's alone (R-S5): the database and its WAL
// and SHM files, the sandbox bank, the logs. Sets the process umask to 077 so files made
// from now on are 0600, and takes group and other bits off everything already in
// `folder` (a folder an older version wrote).
void keep_private(const std::filesystem::path& folder);

// Throws std::runtime_error naming the file when it is readable by group or others.
void require_private(const std::filesystem::path& file);

}  // namespace essc::cli
