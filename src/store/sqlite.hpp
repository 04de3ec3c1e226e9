// The embedded engine: a thin RAII layer over the SQLite C API. A SqliteConnection owns
// a sqlite3 handle (WAL; synchronous FULL or OFF) and a cache of prepared statements
// keyed by the address of their SQL text (store/sql.hpp).
#pragma once

#include <sqlite3.h>

#include <memory>
#include <string>
#include <unordered_map>

#include "store/sql.hpp"

namespace essc::store {

class SqliteStatement final : public Statement {
 public:
  SqliteStatement(sqlite3* db, sqlite3_stmt* stmt) : db_(db), stmt_(stmt) {}
  using Statement::bind;

  Statement& bind(int index, std::int64_t value) override;
  Statement& bind(int index, std::string_view text) override;
  Statement& bind_blob(int index, std::string_view bytes) override;
  Statement& bind(int index, Null) override;
  bool step() override;
  bool is_null(int column) const override;
  std::int64_t int64(int column) const override;
  std::string text(int column) const override;
  std::string blob(int column) const override;
  void reset() override;

 private:
  void check(int rc) const;
  sqlite3* db_;
  sqlite3_stmt* stmt_;
};

class SqliteConnection final : public Connection {
 public:
  // Opens (creating if needed) the database file and applies the connection pragmas.
  SqliteConnection(const std::string& path, bool synchronous_full);
  ~SqliteConnection() override;
  SqliteConnection(const SqliteConnection&) = delete;
  SqliteConnection& operator=(const SqliteConnection&) = delete;

  Statement& prepare(const char* sql) override;
  void exec(std::string_view sql) override;
  void reset_all() override;
  Dialect dialect() const override { return Dialect::kSqlite; }

 private:
  sqlite3* db_ = nullptr;
  std::unordered_map<const char*, std::unique_ptr<SqliteStatement>> cache_;
  std::unordered_map<const char*, sqlite3_stmt*> raw_;
};

// SQLite's extended result code as the store's failure kind.
StoreError sqlite_error(sqlite3* db, const std::string& context = {});

}  // namespace essc::store
