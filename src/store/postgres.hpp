// The server engine: PostgreSQL through libpq. A PostgresConnection owns one PGconn and
// prepares each SQL constant once (server-side prepared statements), turning the store's
// `?` placeholders into `$1…$n`. Parameters go as text, bytes as binary; rows come back
// as text and are read the way SQLite's columns are (integers parsed, bytea decoded).
//
// Errors map by SQLSTATE: class 23 to a constraint failure, 40001 and 40P01 to a
// retryable one, a lost connection (class 08, 57P0x) to unavailable.
#pragma once

#include <libpq-fe.h>

#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "store/sql.hpp"

namespace essc::store {

// Where and as whom to connect. `url` is a libpq connection URI (several hosts and
// target_session_attrs=read-write find the primary after a failover); `password`, when
// set, overrides the URL's and PGPASSFILE. Neither is ever written to a log or an error.
struct PostgresTarget {
  std::string url;
  std::optional<std::string> password;
  std::optional<std::string> search_path;  // a schema of its own (tests, one city per schema)
};

// The URL with any password replaced by "***", for logs and messages.
std::string redact_url(std::string_view url);

class PostgresStatement final : public Statement {
 public:
  PostgresStatement(PGconn* conn, std::string name, int parameters)
      : conn_(conn),
        name_(std::move(name)),
        values_(static_cast<std::size_t>(parameters)),
        formats_(static_cast<std::size_t>(parameters), 0) {}
  ~PostgresStatement() override;
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
  std::optional<std::string>& slot(int index);
  PGconn* conn_;
  std::string name_;
  std::vector<std::optional<std::string>> values_;
  std::vector<int> formats_;
  PGresult* result_ = nullptr;
  int row_ = -1;
};

class PostgresConnection final : public Connection {
 public:
  // Throws StoreError (unavailable) naming the redacted URL when it cannot connect.
  explicit PostgresConnection(const PostgresTarget& target);
  ~PostgresConnection() override;
  PostgresConnection(const PostgresConnection&) = delete;
  PostgresConnection& operator=(const PostgresConnection&) = delete;

  Statement& prepare(const char* sql) override;
  void exec(std::string_view sql) override;
  void reset_all() override;
  Dialect dialect() const override { return Dialect::kPostgres; }
  // False once the server is gone; such a connection is never pooled again.
  bool healthy() const;
  // Reads what the server sent an idle connection without blocking: a server that was
  // killed or shut down (a failover) has closed the socket, and the connection turns
  // unhealthy here instead of failing the next transaction.
  bool still_alive();

 private:
  PGconn* conn_ = nullptr;
  std::unordered_map<const char*, std::unique_ptr<PostgresStatement>> cache_;
};

// `?` placeholders outside quoted text as `$1…$n`; sets `count` to n.
std::string numbered_placeholders(std::string_view sql, int& count);

// A failed result as the store's failure kind (SQLSTATE), with the server's message.
StoreError postgres_error(PGconn* conn, const PGresult* result);

}  // namespace essc::store
