// The signed checkpoints of the audit log and the witnesses' cosignatures of them (R-S6,
// R-S7), kept in the store beside the tree they sign. Every checkpoint the platform signed
// stays, so `essc audit verify` can hold the tree against each; a witness keeps its own
// copy of the newest it cosigned, which no one who controls only the platform can roll
// back.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "store/sql.hpp"

namespace essc::store {

struct StoredCheckpoint {
  std::uint64_t size = 0;
  std::string root;  // raw 32 bytes
  std::int64_t at_ms = 0;
  std::string note;  // the signed note (c2sp.org/tlog-checkpoint), the platform's line only
};

void insert_audit_checkpoint(Connection& c, const StoredCheckpoint& checkpoint);
std::optional<StoredCheckpoint> latest_audit_checkpoint(Connection& c);
std::optional<StoredCheckpoint> audit_checkpoint_of(Connection& c, std::uint64_t size);
std::vector<StoredCheckpoint> audit_checkpoints(Connection& c);  // oldest first

// A witness's cosignature line of the checkpoint of `size`; a second one of the same
// witness for the same size is ignored.
void add_audit_cosignature(Connection& c, std::uint64_t size, std::string_view witness,
                           std::string_view line, std::int64_t at_ms);
std::vector<std::string> audit_cosignatures(Connection& c, std::uint64_t size);

// The size of the largest checkpoint `witness` (its vkey) cosigned, if any.
std::optional<std::uint64_t> newest_cosigned_size(Connection& c, std::string_view witness);

}  // namespace essc::store
