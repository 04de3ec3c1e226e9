#include "store/sqlite.hpp"

#include "common/limits.hpp"

namespace essc::store {

void Statement::check(int rc) const {
  if (rc != SQLITE_OK) throw SqliteError(sqlite3_extended_errcode(db_), sqlite3_errmsg(db_));
}

Statement& Statement::bind(int index, std::int64_t value) {
  check(sqlite3_bind_int64(stmt_, index, value));
  return *this;
}

Statement& Statement::bind(int index, std::string_view text) {
  check(sqlite3_bind_text64(stmt_, index, text.data(), text.size(), SQLITE_TRANSIENT, SQLITE_UTF8));
  return *this;
}

Statement& Statement::bind_blob(int index, std::string_view bytes) {
  check(sqlite3_bind_blob64(stmt_, index, bytes.data(), bytes.size(), SQLITE_TRANSIENT));
  return *this;
}

Statement& Statement::bind(int index, Null) {
  check(sqlite3_bind_null(stmt_, index));
  return *this;
}

bool Statement::step() {
  const int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  const int code = sqlite3_extended_errcode(db_);
  std::string message = sqlite3_errmsg(db_);
  sqlite3_reset(stmt_);
  throw SqliteError(code, message);
}

void Statement::run() {
  while (step()) {
  }
  reset();
}

bool Statement::is_null(int column) const { return sqlite3_column_type(stmt_, column) == SQLITE_NULL; }

std::int64_t Statement::int64(int column) const { return sqlite3_column_int64(stmt_, column); }

std::string Statement::text(int column) const {
  const auto* data = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, column));
  return data ? std::string(data, static_cast<std::size_t>(sqlite3_column_bytes(stmt_, column)))
              : std::string();
}

std::string Statement::blob(int column) const {
  const auto* data = static_cast<const char*>(sqlite3_column_blob(stmt_, column));
  return data ? std::string(data, static_cast<std::size_t>(sqlite3_column_bytes(stmt_, column)))
              : std::string();
}

std::optional<std::string> Statement::optional_text(int column) const {
  if (is_null(column)) return std::nullopt;
  return text(column);
}

std::optional<std::string> Statement::optional_blob(int column) const {
  if (is_null(column)) return std::nullopt;
  return blob(column);
}

std::optional<std::int64_t> Statement::optional_int64(int column) const {
  if (is_null(column)) return std::nullopt;
  return int64(column);
}

void Statement::reset() {
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
}

Connection::Connection(const std::string& path, bool synchronous_full) {
  const int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
  if (sqlite3_open_v2(path.c_str(), &db_, flags, nullptr) != SQLITE_OK) {
    std::string message = db_ ? sqlite3_errmsg(db_) : "out of memory";
    sqlite3_close(db_);
    db_ = nullptr;
    throw SqliteError(SQLITE_CANTOPEN, "cannot open database " + path + ": " + message);
  }
  sqlite3_busy_timeout(db_, static_cast<int>(limits::kDatabaseBusyTimeoutMs));
  exec("PRAGMA journal_mode=WAL");
  exec(synchronous_full ? "PRAGMA synchronous=FULL" : "PRAGMA synchronous=OFF");
  exec("PRAGMA foreign_keys=ON");
}

Connection::~Connection() {
  cache_.clear();
  for (auto& [sql, stmt] : raw_) sqlite3_finalize(stmt);
  sqlite3_close(db_);
}

Statement& Connection::prepare(const char* sql) {
  if (auto it = cache_.find(sql); it != cache_.end()) {
    it->second->reset();
    return *it->second;
  }
  sqlite3_stmt* stmt = nullptr;
  if (sqlite3_prepare_v3(db_, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, nullptr) != SQLITE_OK) {
    throw SqliteError(sqlite3_extended_errcode(db_),
                      std::string(sqlite3_errmsg(db_)) + " in: " + sql);
  }
  raw_.emplace(sql, stmt);
  auto [it, inserted] = cache_.emplace(sql, std::make_unique<Statement>(db_, stmt));
  return *it->second;
}

void Connection::exec(std::string_view sql) {
  std::string text(sql);
  char* message = nullptr;
  if (sqlite3_exec(db_, text.c_str(), nullptr, nullptr, &message) != SQLITE_OK) {
    std::string error = message ? message : "unknown error";
    sqlite3_free(message);
    throw SqliteError(sqlite3_extended_errcode(db_), error);
  }
}

void Connection::reset_all() {
  for (auto& [sql, statement] : cache_) statement->reset();
}

std::int64_t Connection::last_insert_rowid() const { return sqlite3_last_insert_rowid(db_); }

int Connection::changes() const { return sqlite3_changes(db_); }

}  // namespace essc::store
