#include "cli/private_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <string>

namespace essc::cli {

void write_private_file(const std::filesystem::path& file, std::string_view text) {
  const int fd = ::open(file.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0)
    throw std::runtime_error("cannot create " + file.string() + ": " + std::strerror(errno));
  std::size_t written = 0;
  while (written < text.size()) {
    const auto n = ::write(fd, text.data() + written, text.size() - written);
    if (n <= 0) {
      ::close(fd);
      throw std::runtime_error("cannot write " + file.string() + ": " + std::strerror(errno));
    }
    written += static_cast<std::size_t>(n);
  }
  const bool synced = ::fsync(fd) == 0;
  ::close(fd);
  if (!synced) throw std::runtime_error("cannot sync " + file.string());
}

void require_private(const std::filesystem::path& file) {
  struct stat info {};
  if (::stat(file.c_str(), &info) != 0) throw std::runtime_error("no file at " + file.string());
  if ((info.st_mode & 0077) != 0) {
    throw std::runtime_error(file.string() + " is readable by others; chmod 600 it");
  }
}

void keep_private(const std::filesystem::path& folder) {
  ::umask(077);
  namespace fs = std::filesystem;
  constexpr auto kShared = fs::perms::group_all | fs::perms::others_all;
  std::error_code ignored;
  if (!fs::exists(folder, ignored)) return;
  fs::permissions(folder, kShared, fs::perm_options::remove, ignored);
  for (const auto& entry : fs::recursive_directory_iterator(folder, ignored)) {
    if (entry.is_symlink(ignored)) continue;
    fs::permissions(entry.path(), kShared, fs::perm_options::remove, ignored);
  }
}

}  // namespace essc::cli
