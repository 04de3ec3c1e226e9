// A consistent copy of a live SQLite database file (R-S9: a data folder is backed up
// while it serves). SQLite's online backup API copies every page inside one read
// transaction, so the copy is the database as of one commit: every transaction committed
// before the copy began is in it, none is in it half. In WAL mode the server's writer goes
// on meanwhile; a file copy of the database and its WAL could instead catch a checkpoint
// half done.
#pragma once

#include <filesystem>

namespace essc::store {

// Copies the database `source` (an existing SQLite file, possibly open in other
// processes) into the new file `target`, a self-contained rollback-journal database
// (no -wal beside it), checked with `PRAGMA quick_check` and flushed to disk. Returns
// the copy's size in pages. Throws StoreError when `source` cannot be read or `target`
// exists or cannot be written.
// REQUIRES: `target` does not exist.
std::int64_t copy_sqlite_online(const std::filesystem::path& source,
                                const std::filesystem::path& target);

}  // namespace essc::store
