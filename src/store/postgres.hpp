// The server engine: PostgreSQL through libpq. A PostgresConnection owns one PGconn and
// prepares each SQL constant once (server-side prepared statements), turning the store's
// `?` placeholders into `$1…$n`. Parameters go as text, bytes as binary; rows come back
// as text and are read the way SQLite's columns are (integers parsed, bytea decoded).
//
// Errors map by SQLSTATE: class 23 to a constraint failure, 40001 and 40P01 to a
// retryable one, a lost connection (class 08, 57P0x) to unavailable.
//
// Round trips are what a request on this engine waits for (docs/performance.md), so a
// transaction's BEGIN costs none of its own: begin() holds it back and the first
// statement carries it in the same flight (libpq's pipeline mode: BEGIN, the statement,
// a Sync, then both answers), and a transaction that runs no statement sends nothing. A
// read-only transaction's COMMIT is sent without waiting (commit_unawaited()); the next
// transaction's first flight follows it in the same pipeline and reads both answers. In
// a write, a statement whose rows nobody reads (Statement::run()) is queued, not awaited:
// it goes with the transaction's next read or with its COMMIT, and its failure is thrown
// where that flight is read, so inserts and updates cost no round trip of their own.
// Reads a transaction will make, sent ahead (Statement::send_ahead()), are queued the
// same way, in reads as in writes, and their answers kept for the step() that asks for
// them; a read's COMMIT carries any nobody asked for.
#pragma once

#include <libpq-fe.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>
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

class PostgresConnection;

class PostgresStatement final : public Statement {
 public:
  // `reads_only`: a SELECT, which changes nothing another read could see.
  PostgresStatement(PostgresConnection& connection, std::string name, int parameters,
                    bool reads_only)
      : connection_(connection),
        name_(std::move(name)),
        values_(static_cast<std::size_t>(parameters)),
        formats_(static_cast<std::size_t>(parameters), 0),
        reads_only_(reads_only) {}
  ~PostgresStatement() override;
  using Statement::bind;

  Statement& bind(int index, std::int64_t value) override;
  Statement& bind(int index, std::string_view text) override;
  Statement& bind_blob(int index, std::string_view bytes) override;
  Statement& bind(int index, Null) override;
  // In a transaction that defers unread statements (PostgresConnection::begin()), sends
  // the statement without waiting: its answer is read with the next flight's.
  void run() override;
  void send_ahead() override;
  // Sends the statement with its bindings and returns without its answer, which the next
  // step() waits for: the caller works meanwhile. REQUIRES: no transaction held back
  // (begin()) on the connection, which has nothing else in flight until then.
  void send();
  bool step() override;
  bool is_null(int column) const override;
  std::int64_t int64(int column) const override;
  std::string text(int column) const override;
  std::string blob(int column) const override;
  void reset() override;

 private:
  std::optional<std::string>& slot(int index);
  void reset_rows();
  PostgresConnection& connection_;
  std::string name_;
  std::vector<std::optional<std::string>> values_;
  std::vector<int> formats_;
  bool reads_only_;
  PGresult* result_ = nullptr;
  int row_ = -1;
  bool sent_ = false;  // send() went and its answer is not read yet
};

class PostgresConnection final : public Connection {
 public:
  // Throws StoreError (unavailable) naming the redacted URL when it cannot connect.
  explicit PostgresConnection(const PostgresTarget& target);
  ~PostgresConnection() override;
  PostgresConnection(const PostgresConnection&) = delete;
  PostgresConnection& operator=(const PostgresConnection&) = delete;

  PostgresStatement& prepare(const char* sql) override;
  void exec(std::string_view sql) override;
  void reset_all() override;
  Dialect dialect() const override { return Dialect::kPostgres; }

  // Opens a transaction with `begin_sql` (a BEGIN statement) in the flight of its first
  // statement. With `defer_unread`, a statement run for no rows (Statement::run()) is
  // queued instead of awaited: it goes with the next statement whose rows are read, or
  // with COMMIT, and a failure of it is thrown there. REQUIRES: no transaction open.
  void begin(std::string begin_sql, bool defer_unread = false);
  // COMMIT and its answer: whether a write is durable is known when this returns. A
  // StoreError of a kind other than unavailable means the server answered: nothing was
  // written.
  void commit();
  // COMMIT without waiting for its answer. Only for a read-only transaction, whose
  // outcome cannot change what it read.
  void commit_unawaited();
  void rollback();
  bool defers_unread() const { return defer_unread_; }
  // Whether the server was found gone before or in the transaction's first flight (its
  // BEGIN and first statement): nothing of it ran, and it may run again elsewhere.
  bool lost_in_first_flight() const { return lost_in_first_flight_; }
  // Flights of messages sent whose answers were then waited for, since the last call:
  // the round trips the connection's users waited out (an unawaited COMMIT is none).
  std::uint64_t take_round_trips() { return std::exchange(round_trips_, 0); }

  // send()'s and step()'s halves of run_prepared(), outside any pipeline.
  void send_prepared(const std::string& name, const std::vector<std::optional<std::string>>& values,
                     const std::vector<int>& formats);
  PGresult* receive();
  // PostgresStatement::run() in a transaction that defers unread statements: sends the
  // statement into the pipeline (the held-back BEGIN before it, if any), no Sync, no wait.
  // Answers its place among the queries since the pipeline's last Sync.
  int queue_prepared(const std::string& name, const std::vector<std::optional<std::string>>& values,
                     const std::vector<int>& formats);
  // PostgresStatement::send_ahead() in a transaction that defers unread statements:
  // queues it as queue_prepared() does and keeps its answer for take_ahead().
  void send_ahead(const PostgresStatement* statement, const std::string& name,
                  const std::vector<std::optional<std::string>>& values,
                  const std::vector<int>& formats);
  // The answer `statement` got when sent ahead with these bindings, reading its flight if
  // need be (and throwing that flight's failure), or null: not sent ahead, sent with
  // other bindings, or forgotten.
  PGresult* take_ahead(const PostgresStatement* statement,
                       const std::vector<std::optional<std::string>>& values,
                       const std::vector<int>& formats);
  // Forgets the answers sent ahead and not yet taken: a statement that may write is about
  // to be sent, after which they might read otherwise.
  void forget_ahead();

  // Runs a prepared statement (with the held-back BEGIN before it, if any) and answers
  // its rows. Throws StoreError for a failed one.
  PGresult* run_prepared(const std::string& name,
                         const std::vector<std::optional<std::string>>& values,
                         const std::vector<int>& formats);
  // False once the server is gone; such a connection is never pooled again.
  bool healthy() const;
  // Reads what the server sent an idle connection without blocking: a server that was
  // killed or shut down (a failover) has closed the socket, and the connection turns
  // unhealthy here instead of failing the next transaction.
  bool still_alive();

 private:
  // A statement sent ahead: its bindings, its place among the queries since the pipeline's
  // last Sync while its flight is unread (then -1), and its answer once read.
  struct Ahead {
    const PostgresStatement* statement;
    std::vector<std::optional<std::string>> values;
    std::vector<int> formats;
    int position;
    PGresult* answer = nullptr;
  };
  // A flight's answers: the last successful one and the first failure.
  struct Collected {
    bool answered = false;  // anything came back, if only answers sent ahead
    PGresult* rows = nullptr;
    std::optional<StoreError> failure;
  };
  // Forgets what `statement` was sent ahead with.
  void drop_ahead(const PostgresStatement* statement);
  // results_until_sync(), less the answers of statements sent ahead, which they keep.
  std::vector<PGresult*> read_flight(bool then_exit);
  // Sends the held-back BEGIN into the pipeline; false if it could not be sent.
  bool send_held_begin();
  // The held-back BEGIN and the queued statements, the prepared statement and a Sync in
  // one flight; answers the statement's result or throws the first failure.
  PGresult* run_in_flight(const std::string& name, int count, const char* const* values,
                          const int* lengths, const int* formats);
  // Ends the queued statements' flight with a Sync and reads it; throws the first failure.
  void sync_queued();
  Collected collect(const std::vector<PGresult*>& results);
  // Throws the flight's failure (or unavailable if nothing answered), noting whether it
  // opened the transaction.
  void finish_flight(bool sent, Collected& flight);
  // Reads the answer of an unawaited COMMIT, if one is owed: the first in the pipeline,
  // ahead of any flight sent behind it. Then out of pipeline mode if `then_exit`.
  void settle_unawaited_commit(bool then_exit);
  // Into pipeline mode, unless already there; false if libpq refuses.
  bool enter_pipeline();
  // The answers up to the pipeline's next Sync; then out of pipeline mode if `then_exit`.
  std::vector<PGresult*> results_until_sync(bool then_exit);
  // libpq's PQgetResult(), waiting for the server as common/wait.hpp's wait_readable()
  // says, so that a slow answer suspends a handler's fiber instead of holding its thread.
  PGresult* next_result();
  // The last of a sent command's results (PQexec's answer), or null if none came.
  PGresult* last_result();
  // Records whether `error`, met while `opening` the transaction, lost the server.
  void note_failure(const StoreError& error, bool opening);

  PGconn* conn_ = nullptr;
  std::optional<std::string> held_begin_;
  bool defer_unread_ = false;
  bool opening_ = false;  // the BEGIN went and its flight is not read yet
  int queued_ = 0;        // statements in the pipeline since its last Sync
  std::vector<Ahead> ahead_;
  int unawaited_commit_flights_ = 0;  // flights of unawaited COMMITs, answers owed
  bool lost_in_first_flight_ = false;
  std::uint64_t round_trips_ = 0;
  std::unordered_map<const char*, std::unique_ptr<PostgresStatement>> cache_;
};

// `?` placeholders outside quoted text as `$1…$n`; sets `count` to n.
std::string numbered_placeholders(std::string_view sql, int& count);

// A failed result as the store's failure kind (SQLSTATE), with the server's message.
StoreError postgres_error(PGconn* conn, const PGresult* result);

}  // namespace essc::store
