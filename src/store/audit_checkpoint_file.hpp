// Signed heads of the audit chain, kept outside the database (R-S6): an append-only text
// file in the data folder, one checkpoint a line,
//   <seq> <hash hex> <at_ms> <kid> <signature base64url>
// where the signature is the platform's over checkpoint_statement(). Whoever can rewrite
// the database can recompute the SHA-256 chain or cut its newest rows; neither matches a
// head the platform signed before, so `essc audit verify` finds both.
//
// Thread safety: one object per file; its methods from one thread at a time.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "common/result.hpp"

namespace essc::store {

struct AuditCheckpoint {
  std::int64_t seq = 0;
  std::string hash;  // raw 32 bytes
  std::int64_t at_ms = 0;
  std::string kid;
  std::string signature;  // raw bytes
};

// The bytes signed: "ESSC-AUDIT1.<seq>.<hash hex>.<at_ms>".
std::string checkpoint_statement(std::int64_t seq, std::string_view hash, std::int64_t at_ms);

class AuditCheckpointFile {
 public:
  explicit AuditCheckpointFile(std::filesystem::path path) : path_(std::move(path)) {}

  // Every checkpoint, oldest first (none when the file does not exist yet); INVALID_REQUEST
  // naming the line for one that cannot be read.
  Result<std::vector<AuditCheckpoint>> read_all() const;
  // Appends one line and fsyncs it (mode 0600). Throws std::runtime_error on I/O failure.
  void append(const AuditCheckpoint& checkpoint);
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

}  // namespace essc::store
