// A thin RAII layer over the SQLite C API: a Connection owns a sqlite3 handle and a
// cache of prepared statements keyed by their SQL text.
//
// Thread safety: a Connection is used by one thread at a time (Database hands them
// out). A Statement borrowed from the cache is reset when the Row/Query using it ends.
// SQLite failures that input cannot cause (I/O, corruption, misuse) throw SqliteError;
// constraint violations throw too, so a write job can turn them into CONFLICT.
// The statement cache is keyed by the address of the SQL text: pass only SQL held in
// named constants (`constexpr const char kX[] = "…"`), never a temporary.
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <unordered_map>

namespace essc::store {

class SqliteError : public std::runtime_error {
 public:
  SqliteError(int extended_code, const std::string& message)
      : std::runtime_error(message), extended_code_(extended_code) {}
  int extended_code() const { return extended_code_; }
  bool is_constraint() const { return (extended_code_ & 0xff) == SQLITE_CONSTRAINT; }

 private:
  int extended_code_;
};

// A NULL column or parameter.
struct Null {};

class Statement {
 public:
  Statement(sqlite3* db, sqlite3_stmt* stmt) : db_(db), stmt_(stmt) {}

  Statement& bind(int index, std::int64_t value);
  Statement& bind(int index, int value) { return bind(index, static_cast<std::int64_t>(value)); }
  Statement& bind(int index, bool value) { return bind(index, static_cast<std::int64_t>(value)); }
  Statement& bind(int index, std::string_view text);
  Statement& bind(int index, const char* text) { return bind(index, std::string_view(text)); }
  Statement& bind(int index, const std::string& text) { return bind(index, std::string_view(text)); }
  Statement& bind_blob(int index, std::string_view bytes);
  Statement& bind_optional_blob(int index, const std::optional<std::string>& bytes) {
    return bytes ? bind_blob(index, std::string_view(*bytes)) : bind(index, Null{});
  }
  Statement& bind(int index, Null);
  template <class T>
  Statement& bind(int index, const std::optional<T>& value) {
    return value ? bind(index, *value) : bind(index, Null{});
  }
  template <class... Args>
  Statement& bind_all(const Args&... args) {
    int index = 0;
    (bind(++index, args), ...);
    return *this;
  }

  // Advances to the next row; false when done.
  bool step();
  // Runs a statement that returns no rows.
  void run();
  // The first row mapped by `map`, or nullopt; the statement is reset either way.
  template <class F>
  auto first(F&& map) -> std::optional<decltype(map(*this))> {
    if (!step()) {
      reset();
      return std::nullopt;
    }
    auto value = map(*this);
    reset();
    return value;
  }

  bool is_null(int column) const;
  std::int64_t int64(int column) const;
  std::string text(int column) const;
  std::string blob(int column) const;
  std::optional<std::string> optional_text(int column) const;
  std::optional<std::string> optional_blob(int column) const;
  std::optional<std::int64_t> optional_int64(int column) const;

  void reset();

 private:
  void check(int rc) const;
  sqlite3* db_;
  sqlite3_stmt* stmt_;
};

class Connection {
 public:
  // Opens (creating if asked) the database file and applies the connection pragmas.
  Connection(const std::string& path, bool synchronous_full);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // A cached prepared statement, reset and cleared of bindings, ready to bind.
  Statement& prepare(const char* sql);
  // Runs one or more statements with no parameters and no rows (DDL, pragmas).
  void exec(std::string_view sql);
  // Resets every cached statement so none holds a read snapshot open (WAL checkpoints
  // cannot pass a reader that is still stepping).
  void reset_all();
  std::int64_t last_insert_rowid() const;
  int changes() const;
  sqlite3* handle() const { return db_; }

 private:
  sqlite3* db_ = nullptr;
  std::unordered_map<const char*, std::unique_ptr<Statement>> cache_;
  std::unordered_map<const char*, sqlite3_stmt*> raw_;
};

}  // namespace essc::store
