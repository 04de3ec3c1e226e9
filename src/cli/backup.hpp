// `essc backup` and `essc restore` (API.md "Command line"; SPEC R-S9: every data folder
// can be backed up while it serves and restored on another machine with nothing
// acknowledged before the backup lost).
//
// An archive is a POSIX tar of
//   backup-info.toml        format, when, which essc, from which folder, which store
//   MANIFEST.sha256         "<sha256 hex>  <path>" of every other file (`sha256sum -c` reads it)
//   essc.toml keys.toml policies/*.toml audit-checkpoints.log [demo-clients.toml]
//   essc.db [sandbox_bank.db sandbox_sms.db]    SQLite folders only
// encrypted with age to the recipients of [backup] recipients when there are any, else
// written mode 0600 with a warning: it holds the key file.
//
// Consistency: the checkpoint file is read before the database is copied, so every head
// it holds is one the copied log has reached; the database is copied by SQLite's online
// backup (store/sqlite_backup.hpp), so the copy holds every transaction committed before
// the copy began. A PostgreSQL folder's archive holds the keys, config and policies only;
// its database is backed up with PostgreSQL's own tools (docs/operations.md).
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <ostream>
#include <string>

#include "cli/app.hpp"

namespace essc::cli {

// Writes the archive of `dir` to `to` (which must not exist), printing what it holds to
// `out` and the warning of an unencrypted archive to `warnings`. Throws
// std::runtime_error naming the problem; leaves no partial archive behind.
void back_up(const DataDir& dir, const std::filesystem::path& to, std::ostream& out,
             std::ostream& warnings);

// After a backup: when it finished and how large the archive is, as Prometheus text for
// node_exporter's textfile collector (`essc_backup_last_success_timestamp_seconds`, the
// alert EsscBackupMissing), written to `file` whole (a new file renamed over the old) so a
// scrape never reads half of it.
void write_backup_textfile(const DataDir& dir, const std::filesystem::path& archive,
                           const std::filesystem::path& file, std::int64_t now_ms);

// Restores the archive `from` into `dir`, which must not exist or be empty: decrypts it
// with `identity` (an age identity file) when it is encrypted, checks every file against
// the manifest, verifies the audit log against its signed checkpoints (`essc audit
// verify`'s check) and only then moves the files into place. Prints what it restored.
// Throws std::runtime_error naming the problem; `dir` is then left as it was.
void restore(const std::filesystem::path& from, const DataDir& dir,
             const std::optional<std::filesystem::path>& identity, std::ostream& out);

}  // namespace essc::cli
