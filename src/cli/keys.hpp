// `essc keys rotate --kind qr|pii|audit` and `essc keys status` (API.md "Command line"; SPEC
// R-S9: keys rotate without downtime).
//
// Every server of the folder reads the key file again within limits::kKeyFileWatchMs of a
// change (KeyFileWatch) and uses the new keys from then on, without a restart.
//
// qr: a rotation appends a new QR signing key of the configured algorithm ([security]
// qr_algorithm) to the key file and marks the key it replaces retired. The retired key
// stays in the file, since it verifies the codes it signed, and in GET /v1/keys, with its
// `not_after`, until no code it signed can still be valid
// (limits::kQrKeyRetiredPublishedMs after its retirement).
//
// audit: a rotation replaces the seed that signs the log's checkpoints (`audit_log_key`)
// and keeps the old key's public half, with its retirement time, in
// `[[retired_audit_log_keys]]`: `essc audit verify` and GET /v1/audit/verify hold every
// checkpoint against the key that signed it (the key hash of its signature line names it),
// and GET /v1/audit/key lists them all. The old seed is dropped. The log's witnesses are
// told by their operators: `essc audit witness serve` takes the new vkey as one more
// `--log` of the same origin (docs/operations.md), so nothing the platform says can make
// a witness trust a key.
//
// pii: a rotation replaces the vault key (`pii_key`) and keeps the one it replaces, whole,
// in `[[retired_pii_keys]]`, since it opens every field it sealed. New seals use the new
// key; each server re-seals the store's fields in the background
// (services/pii_resealer.hpp), and the server that sees the last batch done drops the
// retired key from the key file (drop_retired_pii_keys). A rotation while one is still
// re-sealing is refused. The blind-index key does not rotate (docs/architecture.md
// "Key rotation").
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <ostream>
#include <string>
#include <string_view>

#include "cli/app.hpp"
#include "common/periodic_task.hpp"
#include "crypto/keys.hpp"

namespace essc::cli {

// `keys` with a new signing key of `algorithm` appended, created at `now_ms`, and the
// one that signed until now (the last of `algorithm` not yet retired) retired at `now_ms`.
crypto::KeySet rotated_qr_keys(crypto::KeySet keys, std::string_view algorithm,
                               std::int64_t now_ms);

// `keys` with a new audit log seed, and the public half of the one it replaces retired at
// `now_ms`.
crypto::KeySet rotated_audit_keys(crypto::KeySet keys, std::int64_t now_ms);

// `keys` with a new PII vault key, and the one it replaces retired at `now_ms`. Throws
// std::runtime_error while an earlier rotation's key is still retired (re-sealing).
crypto::KeySet rotated_pii_keys(crypto::KeySet keys, std::int64_t now_ms);

// Rotates the folder's QR signing key (above) under a lock on the folder, so that two
// rotations at once cannot lose one; prints the new and the retired key to `out`.
void rotate_qr_key(const DataDir& dir, std::ostream& out);

// Rotates the folder's audit log key (above) under the folder's lock; prints the new and
// the retired vkey, and what the witnesses' operators are to do, to `out`.
void rotate_audit_key(const DataDir& dir, std::ostream& out);

// Rotates the folder's PII vault key (above) under the folder's lock; prints the key ids
// and when re-sealing begins to `out`.
void rotate_pii_key(const DataDir& dir, std::ostream& out);

// The end of a rotation: drops the retired PII keys from the folder's key file, under the
// folder's lock, if its current key is still the one named `current_key_id` (a rotation
// since would have retired it). Returns whether the file changed.
bool drop_retired_pii_keys(const DataDir& dir, std::string_view current_key_id);

// The folder's keys: each QR key (current, standby, retired and until when published),
// the PII vault key (current, retired, and re-sealing's progress per table, read from the
// store), each audit log key (current, retired).
void print_key_status(const DataDir& dir, std::ostream& out);

// A server's watch on its key file: every limits::kKeyFileWatchMs it compares the file's
// inode, size and change time with what it last read, and on a change reads the file and
// gives the keys to `apply` (the first check always does, so a rotation between start-up
// and start() is not missed). A file that cannot be read is logged and retried; the
// server keeps the keys it has.
// Thread safety: start() and stop() from the owner; `apply` runs on the watch's thread.
class KeyFileWatch {
 public:
  using Apply = std::function<void(const crypto::KeySet&)>;
  KeyFileWatch(std::filesystem::path file, Apply apply);
  void start();
  void stop();

 private:
  void check();

  std::filesystem::path file_;
  Apply apply_;
  std::string stamp_;  // "<inode> <size> <ctime ns>" of the file last read
  PeriodicTask task_;
};

}  // namespace essc::cli
