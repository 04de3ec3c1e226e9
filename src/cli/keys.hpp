// `essc keys rotate --kind qr` and `essc keys status` (API.md "Command line"; SPEC R-S9:
// keys rotate without downtime).
//
// A rotation appends a new QR signing key of the configured algorithm ([security]
// qr_algorithm) to the key file and marks the key it replaces retired. Every server of
// the folder reads the file again within limits::kKeyFileWatchMs (KeyFileWatch) and signs
// QR codes and audit checkpoints with the new key from then on, without a restart. The
// retired key stays in the file, since it verifies the codes and checkpoints it signed,
// and in GET /v1/keys, with its `not_after`, until no code it signed can still be valid
// (limits::kQrKeyRetiredPublishedMs after its retirement).
//
// Rotation of the PII vault key and of a separate audit key is not built: `--kind pii` and
// `--kind audit` are refused with that reason.
#pragma once

#include <cstdint>
#include <filesystem>
#include <ostream>
#include <string>
#include <string_view>

#include "cli/app.hpp"
#include "common/periodic_task.hpp"
#include "crypto/keys.hpp"
#include "crypto/qr_token.hpp"

namespace essc::cli {

// `keys` with a new signing key of `algorithm` appended, created at `now_ms`, and the
// one that signed until now (the last of `algorithm` not yet retired) retired at `now_ms`.
crypto::KeySet rotated_qr_keys(crypto::KeySet keys, std::string_view algorithm,
                               std::int64_t now_ms);

// Rotates the folder's QR signing key (above) under a lock on the folder, so that two
// rotations at once cannot lose one; prints the new and the retired key to `out`.
void rotate_qr_key(const DataDir& dir, std::ostream& out);

// The folder's keys: each QR key (current, standby, retired and until when published),
// and what cannot rotate yet.
void print_key_status(const DataDir& dir, std::ostream& out);

// A server's watch on its key file: every limits::kKeyFileWatchMs it compares the file's
// inode, size and change time with what it last read, and on a change reads the file and
// gives the QR keys to `signer` (the first check always does, so a rotation between
// start-up and start() is not missed). A file that cannot be read is logged and retried;
// the signer keeps the keys it has.
// Thread safety: start() and stop() from the owner.
class KeyFileWatch {
 public:
  KeyFileWatch(std::filesystem::path file, crypto::QrSigner& signer);
  void start();
  void stop();

 private:
  void check();

  std::filesystem::path file_;
  crypto::QrSigner& signer_;
  std::string stamp_;  // "<inode> <size> <ctime ns>" of the file last read
  PeriodicTask task_;
};

}  // namespace essc::cli
