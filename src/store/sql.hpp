// The store's view of a SQL connection, whichever engine is behind it (SQLite embedded,
// PostgreSQL through libpq): repositories prepare their named SQL constants, bind
// parameters by position (`?`, numbered from 1) and read columns by index (from 0). The
// SQL is kept to what both engines accept (docs/architecture.md "The store").
//
// Thread safety: a Connection is used by one thread at a time (Database hands them
// out). A Statement borrowed from a connection's cache is reset by the next prepare()
// of the same SQL.
// Failures that input cannot cause (I/O, a lost server, misuse) throw StoreError;
// constraint violations and serialization conflicts throw too, so a write job can turn
// them into CONFLICT or a retry. The statement cache is keyed by the address of the SQL
// text: pass only SQL held in named constants (`constexpr char kX[] = "…"`).
#pragma once

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

namespace essc::store {

class StoreError : public std::runtime_error {
 public:
  enum class Kind {
    kConstraint,   // a unique, check or foreign-key constraint refused the change
    kRetryable,    // a serialization failure or deadlock: the transaction may run again
    kUnavailable,  // the engine cannot be reached or is shutting down
    kOther,
  };
  StoreError(Kind kind, const std::string& message) : std::runtime_error(message), kind_(kind) {}
  Kind kind() const { return kind_; }
  bool is_constraint() const { return kind_ == Kind::kConstraint; }
  bool is_retryable() const { return kind_ == Kind::kRetryable; }

 private:
  Kind kind_;
};

// A NULL column or parameter.
struct Null {};

// Which engine a connection speaks to. Only the store's own schema code (migrations,
// the few statements whose spelling differs) asks; nothing above store/ can.
enum class Dialect { kSqlite, kPostgres };

class Statement {
 public:
  virtual ~Statement() = default;

  virtual Statement& bind(int index, std::int64_t value) = 0;
  virtual Statement& bind(int index, std::string_view text) = 0;
  virtual Statement& bind_blob(int index, std::string_view bytes) = 0;
  virtual Statement& bind(int index, Null) = 0;
  Statement& bind(int index, int value) { return bind(index, static_cast<std::int64_t>(value)); }
  Statement& bind(int index, bool value) { return bind(index, static_cast<std::int64_t>(value)); }
  Statement& bind(int index, const char* text) { return bind(index, std::string_view(text)); }
  Statement& bind(int index, const std::string& text) {
    return bind(index, std::string_view(text));
  }
  Statement& bind_optional_blob(int index, const std::optional<std::string>& bytes) {
    return bytes ? bind_blob(index, std::string_view(*bytes)) : bind(index, Null{});
  }
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
  virtual bool step() = 0;
  // Runs a statement whose rows nobody reads. On PostgreSQL inside a write, it may only
  // be sent, its failure thrown by the transaction's next read or its commit.
  virtual void run() {
    while (step()) {
    }
    reset();
  }
  // A read the transaction will make later, sent now where the engine can (PostgreSQL):
  // the next step() after the same bindings are bound again reads this answer,
  // so several such reads share one round trip. Unless a statement that may write was
  // sent in between, in which case that step() runs the statement again. Resets it.
  virtual void send_ahead() { reset(); }
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

  virtual bool is_null(int column) const = 0;
  virtual std::int64_t int64(int column) const = 0;
  virtual std::string text(int column) const = 0;
  virtual std::string blob(int column) const = 0;
  std::optional<std::string> optional_text(int column) const {
    return is_null(column) ? std::nullopt : std::optional(text(column));
  }
  std::optional<std::string> optional_blob(int column) const {
    return is_null(column) ? std::nullopt : std::optional(blob(column));
  }
  std::optional<std::int64_t> optional_int64(int column) const {
    return is_null(column) ? std::nullopt : std::optional(int64(column));
  }

  // Clears the bindings and any rows not yet read.
  virtual void reset() = 0;
};

class Connection {
 public:
  virtual ~Connection() = default;

  // A cached prepared statement, reset and cleared of bindings, ready to bind.
  virtual Statement& prepare(const char* sql) = 0;
  // Runs one or more statements with no parameters and no rows (DDL).
  virtual void exec(std::string_view sql) = 0;
  // Resets every cached statement so none holds rows or a read snapshot open.
  virtual void reset_all() = 0;
  virtual Dialect dialect() const = 0;
};

}  // namespace essc::store
