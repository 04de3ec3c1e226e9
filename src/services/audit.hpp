// The audit log for its readers (R-S6, R-S8): administrators' pages of entries, the public
// checkpoint, key, proofs and tiles, a cardholder's proof of their own entry, and the
// verification of the whole tree against every checkpoint and witness.
//
// Thread safety: every method may be called from any thread.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/error.hpp"
#include "crypto/keys.hpp"
#include "store/audit_log.hpp"
#include "store/database.hpp"

namespace essc::services {

// The log's name and signing key (API.md "Audit log"): the origin is also the key name,
// so the keys of one log differ in their key hash, which names the key that signed a
// checkpoint. Keys a rotation retired (R-S9) still verify the checkpoints they signed.
struct AuditLogKey {
  std::string origin;
  std::string seed;                              // Ed25519, 32 bytes: signs the next checkpoint
  std::vector<crypto::RetiredAuditKey> retired;  // oldest first

  std::string public_key() const;
  std::string vkey() const;  // "<origin>+<key hash hex>+<base64(0x01 ‖ public key)>"
  // Every key's vkey: the current one first, then the retired ones, newest first.
  std::vector<std::string> vkeys() const;
  std::string retired_vkey(const crypto::RetiredAuditKey& key) const;
};

// A witness the platform sends its checkpoints to (`[audit] witnesses`).
struct Witness {
  std::string url;
  std::string vkey;
};

struct AuditQuery {
  std::int64_t from_ms = 0;
  std::int64_t to_ms = INT64_MAX;
  std::int64_t after_seq = -1;  // the cursor
  std::int64_t limit = 50;
};

struct AuditPage {
  std::vector<store::AuditEntry> items;
  std::optional<std::int64_t> next_after_seq;
};

struct InclusionProof {
  std::uint64_t index = 0;
  std::uint64_t size = 0;
  std::vector<std::string> hashes;
};

// A cardholder's own entry with what proves it is in the log (R-S8).
struct EntryProof {
  store::AuditEntry entry;
  std::string checkpoint;  // the signed note the proof leads to
  InclusionProof inclusion;
};

struct AuditCheck {
  std::int64_t entries = 0;
  std::int64_t checkpoints = 0;  // signed checkpoints the tree was held against
  std::int64_t witnessed = 0;    // witnesses' checkpoints it was held against
  std::optional<std::int64_t> first_bad_seq;
  std::optional<std::string> problem;  // what does not hold, for the operator
  bool ok() const { return !problem; }
};

// R-S4, R-S6: a refusal's audit entry, in a transaction of its own (the refused job's
// rolled back); `actor` as in the log ("client:…").
void audit_refusal(store::Database& db, std::string_view actor, std::string_view action,
                   std::string_view target, ErrorCode code, std::int64_t now_ms);

class AuditService {
 public:
  AuditService(store::Database& db, AuditLogKey key)
      : db_(db), key_(std::make_shared<const AuditLogKey>(std::move(key))) {}

  // A copy of the keys as they are now: a rotation may replace them at any time.
  AuditLogKey key() const { return *key_.load(); }
  // A key rotation (R-S9; the key file's watch, cli/keys.hpp): `seed` signs the next
  // checkpoint; `retired` (oldest first) verify the ones they signed. The origin stays.
  void rotate_key(std::string seed, std::vector<crypto::RetiredAuditKey> retired);
  AuditPage list(const AuditQuery& query);
  std::optional<store::AuditEntry> entry(std::int64_t seq);

  // The newest checkpoint with the cosignatures it has; nullopt before the first.
  std::optional<std::string> checkpoint();
  // INVALID_REQUEST unless index < size <= the newest checkpoint's size.
  Result<InclusionProof> inclusion(std::uint64_t index, std::uint64_t size);
  // INVALID_REQUEST unless 0 < from <= to <= the newest checkpoint's size.
  Result<std::vector<std::string>> consistency(std::uint64_t from, std::uint64_t to);
  // The tile (c2sp.org/tlog-tiles) at tile level `level`, index `index`, `width` hashes
  // wide; NOT_FOUND when the tree has not that many nodes there yet.
  Result<std::string> tile(int level, std::uint64_t index, int width);
  // NOT_FOUND unless the entry at `seq` is about `person_id` and a checkpoint covers it.
  Result<EntryProof> proof_for(std::int64_t person_id, std::int64_t seq);

  // Recomputes the tree from the entries; holds it against every stored node, every
  // checkpoint signed by one of the log's keys (current or retired) and each of `witnessed`
  // (checkpoints the witnesses cosigned, as fetched from them).
  AuditCheck verify(const std::vector<std::pair<Witness, std::string>>& witnessed = {});

 private:
  store::Database& db_;
  std::atomic<std::shared_ptr<const AuditLogKey>> key_;
};

}  // namespace essc::services
