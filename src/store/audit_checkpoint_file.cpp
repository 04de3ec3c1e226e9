#include "store/audit_checkpoint_file.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "crypto/encoding.hpp"

namespace essc::store {
namespace {

std::optional<AuditCheckpoint> parse_line(const std::string& line) {
  std::istringstream in(line);
  AuditCheckpoint cp;
  std::string hash_hex, signature;
  if (!(in >> cp.seq >> hash_hex >> cp.at_ms >> cp.kid >> signature) || cp.seq < 1)
    return std::nullopt;
  auto hash = crypto::from_hex(hash_hex);
  auto signature_bytes = crypto::from_base64url(signature);
  if (!hash || hash->size() != 32 || !signature_bytes) return std::nullopt;
  cp.hash = std::move(*hash);
  cp.signature = std::move(*signature_bytes);
  return cp;
}

}  // namespace

std::string checkpoint_statement(std::int64_t seq, std::string_view hash, std::int64_t at_ms) {
  return "ESSC-AUDIT1." + std::to_string(seq) + "." + crypto::to_hex(hash) + "." +
         std::to_string(at_ms);
}

Result<std::vector<AuditCheckpoint>> AuditCheckpointFile::read_all() const {
  std::vector<AuditCheckpoint> out;
  std::ifstream in(path_);
  std::string line;
  for (std::int64_t number = 1; std::getline(in, line); ++number) {
    auto cp = parse_line(line);
    if (!cp)
      return Error(ErrorCode::kInvalidRequest, path_.string() + " line " + std::to_string(number));
    out.push_back(std::move(*cp));
  }
  return out;
}

void AuditCheckpointFile::append(const AuditCheckpoint& cp) {
  const std::string line = std::to_string(cp.seq) + " " + crypto::to_hex(cp.hash) + " " +
                           std::to_string(cp.at_ms) + " " + cp.kid + " " +
                           crypto::to_base64url(cp.signature) + "\n";
  const int fd = ::open(path_.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
  if (fd < 0)
    throw std::runtime_error("cannot open " + path_.string() + ": " + std::strerror(errno));
  const bool written = ::write(fd, line.data(), line.size()) == static_cast<ssize_t>(line.size()) &&
                       ::fsync(fd) == 0;
  const int saved = errno;
  ::close(fd);
  if (!written)
    throw std::runtime_error("cannot write " + path_.string() + ": " + std::strerror(saved));
}

}  // namespace essc::store
