#include "store/sqlite_backup.hpp"

#include <sqlite3.h>

#include <chrono>
#include <memory>
#include <thread>

#include "common/limits.hpp"
#include "store/sqlite.hpp"

namespace essc::store {
namespace {

struct CloseDatabase {
  void operator()(sqlite3* db) const { sqlite3_close(db); }
};
using DatabaseHandle = std::unique_ptr<sqlite3, CloseDatabase>;

DatabaseHandle open(const std::filesystem::path& path, int flags) {
  sqlite3* db = nullptr;
  const int rc = sqlite3_open_v2(path.c_str(), &db, flags | SQLITE_OPEN_NOMUTEX, nullptr);
  DatabaseHandle handle(db);
  if (rc != SQLITE_OK) throw sqlite_error(db, "opening " + path.string());
  sqlite3_busy_timeout(db, static_cast<int>(limits::kDatabaseBusyTimeoutMs));
  return handle;
}

void exec(sqlite3* db, const char* sql) {
  if (sqlite3_exec(db, sql, nullptr, nullptr, nullptr) != SQLITE_OK) throw sqlite_error(db, sql);
}

}  // namespace

std::int64_t copy_sqlite_online(const std::filesystem::path& source,
                                const std::filesystem::path& target) {
  if (std::filesystem::exists(target)) {
    throw StoreError(StoreError::Kind::kOther, target.string() + " exists already");
  }
  // Read-write without create: a WAL database is read through its -shm index, which a
  // read-only connection may not be able to set up; nothing is written to it.
  auto from = open(source, SQLITE_OPEN_READWRITE);
  auto to = open(target, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
  exec(to.get(), "PRAGMA synchronous=FULL");  // the copy's commit reaches the disk
  sqlite3_backup* backup = sqlite3_backup_init(to.get(), "main", from.get(), "main");
  if (!backup) throw sqlite_error(to.get(), "starting the backup");
  // -1: every page in one step, so one read transaction covers the whole copy. BUSY or
  // LOCKED only while another connection holds an exclusive lock (a WAL reset); retried.
  int rc = SQLITE_OK;
  for (int attempt = 0; attempt < limits::kOnlineBackupAttemptsMax; ++attempt) {
    rc = sqlite3_backup_step(backup, -1);
    if (rc != SQLITE_BUSY && rc != SQLITE_LOCKED) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(limits::kOnlineBackupRetryMs));
  }
  const std::int64_t pages = sqlite3_backup_pagecount(backup);
  sqlite3_backup_finish(backup);
  if (rc != SQLITE_DONE) throw sqlite_error(to.get(), "copying " + source.string());
  from.reset();
  // The copy is a database of its own: one file, whole, on disk.
  exec(to.get(), "PRAGMA journal_mode=DELETE");
  sqlite3_stmt* check = nullptr;
  if (sqlite3_prepare_v2(to.get(), "PRAGMA quick_check", -1, &check, nullptr) != SQLITE_OK)
    throw sqlite_error(to.get(), "checking the copy");
  const bool ok =
      sqlite3_step(check) == SQLITE_ROW &&
      std::string_view(reinterpret_cast<const char*>(sqlite3_column_text(check, 0))) == "ok";
  sqlite3_finalize(check);
  if (!ok)
    throw StoreError(StoreError::Kind::kOther, "the copy of " + source.string() + " is damaged");
  return pages;
}

}  // namespace essc::store
