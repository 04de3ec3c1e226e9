#include "store/sqlite.hpp"

#include "common/limits.hpp"

namespace essc::store {

StoreError sqlite_error(sqlite3* db, const std::string& context) {
  const int code = db ? sqlite3_extended_errcode(db) : SQLITE_NOMEM;
  std::string message = db ? sqlite3_errmsg(db) : "out of memory";
  if (!context.empty()) message += " (" + context + ")";
  switch (code & 0xff) {
    case SQLITE_CONSTRAINT:
      return StoreError(StoreError::Kind::kConstraint, message);
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return StoreError(StoreError::Kind::kRetryable, message);
    case SQLITE_CANTOPEN:
    case SQLITE_IOERR:
    case SQLITE_FULL:
      return StoreError(StoreError::Kind::kUnavailable, message);
    default:
      return StoreError(StoreError::Kind::kOther, message);
  }
}

void SqliteStatement::check(int rc) const {
  if (rc != SQLITE_OK) throw sqlite_error(db_);
}

Statement& SqliteStatement::bind(int index, std::int64_t value) {
  check(sqlite3_bind_int64(stmt_, index, value));
  return *this;
}

Statement& SqliteStatement::bind(int index, std::string_view text) {
  check(sqlite3_bind_text64(stmt_, index, text.data(), text.size(), SQLITE_TRANSIENT, SQLITE_UTF8));
  return *this;
}

Statement& SqliteStatement::bind_blob(int index, std::string_view bytes) {
  check(sqlite3_bind_blob64(stmt_, index, bytes.data(), bytes.size(), SQLITE_TRANSIENT));
  return *this;
}

Statement& SqliteStatement::bind(int index, Null) {
  check(sqlite3_bind_null(stmt_, index));
  return *this;
}

bool SqliteStatement::step() {
  const int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  auto error = sqlite_error(db_);
  sqlite3_reset(stmt_);
  throw error;
}

bool SqliteStatement::is_null(int column) const {
  return sqlite3_column_type(stmt_, column) == SQLITE_NULL;
}

std::int64_t SqliteStatement::int64(int column) const {
  return sqlite3_column_int64(stmt_, column);
}

std::string SqliteStatement::text(int column) const {
  const auto* data = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, column));
  return data ? std::string(data, static_cast<std::size_t>(sqlite3_column_bytes(stmt_, column)))
              : std::string();
}

std::string SqliteStatement::blob(int column) const {
  const auto* data = static_cast<const char*>(sqlite3_column_blob(stmt_, column));
  return data ? std::string(data, static_cast<std::size_t>(sqlite3_column_bytes(stmt_, column)))
              : std::string();
}

void SqliteStatement::reset() {
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
}

SqliteConnection::SqliteConnection(const std::string& path, bool synchronous_full) {
  // SQLite's allocation statistics take one process-wide mutex around every allocation
  // of every connection (2 % of a status read's CPU, and the readers' contention); the
  // process reads none of them. Must precede the first connection, hence here, once.
  [[maybe_unused]] static const int statistics_off = sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
  const int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
  if (sqlite3_open_v2(path.c_str(), &db_, flags, nullptr) != SQLITE_OK) {
    std::string message = db_ ? sqlite3_errmsg(db_) : "out of memory";
    sqlite3_close(db_);
    db_ = nullptr;
    throw StoreError(StoreError::Kind::kUnavailable,
                     "cannot open database " + path + ": " + message);
  }
  sqlite3_busy_timeout(db_, static_cast<int>(limits::kDatabaseBusyTimeoutMs));
  exec("PRAGMA journal_mode=WAL");
  exec(synchronous_full ? "PRAGMA synchronous=FULL" : "PRAGMA synchronous=OFF");
  exec("PRAGMA foreign_keys=ON");
}

SqliteConnection::~SqliteConnection() {
  cache_.clear();
  for (auto& [sql, stmt] : raw_) sqlite3_finalize(stmt);
  sqlite3_close(db_);
}

Statement& SqliteConnection::prepare(const char* sql) {
  if (auto it = cache_.find(sql); it != cache_.end()) {
    it->second->reset();
    return *it->second;
  }
  sqlite3_stmt* stmt = nullptr;
  if (sqlite3_prepare_v3(db_, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, nullptr) != SQLITE_OK) {
    throw sqlite_error(db_, std::string("in: ") + sql);
  }
  raw_.emplace(sql, stmt);
  auto [it, inserted] = cache_.emplace(sql, std::make_unique<SqliteStatement>(db_, stmt));
  return *it->second;
}

void SqliteConnection::exec(std::string_view sql) {
  std::string text(sql);
  char* message = nullptr;
  if (sqlite3_exec(db_, text.c_str(), nullptr, nullptr, &message) != SQLITE_OK) {
    sqlite3_free(message);
    throw sqlite_error(db_);
  }
}

void SqliteConnection::reset_all() {
  for (auto& [sql, statement] : cache_) statement->reset();
}

}  // namespace essc::store
