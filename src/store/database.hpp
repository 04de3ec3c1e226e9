// Database: the platform's store, whichever engine holds it (docs/architecture.md "The
// store"). read(f) runs f on a connection inside one read-only snapshot; write(f) runs f
// as one atomic, durable transaction and answers only after it is durable.
//
//   SqliteDatabase   (store/sqlite_database.hpp) one writer thread that commits jobs in
//                    groups, each job in its own SAVEPOINT, beside pooled WAL readers.
//   PostgresDatabase (store/postgres_database.hpp) a bounded pool; each write job is a
//                    SERIALIZABLE transaction, run again after a serialization failure
//                    or deadlock a bounded number of times.
//
// A job that returns an error (or throws) is rolled back alone. When a job cannot
// commit (the engine is gone, the retries ran out) write() answers UNAVAILABLE with
// retry_after, never a half-write.
//
// Thread safety: read() and write() may be called from any thread, but never from
// inside a write job (a job must not call write()).
// REQUIRES: write jobs are short, may run more than once, and do no I/O other than this
// database: slow work (password hashing, adapters) happens before the job, in the caller.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <type_traits>

#include "common/result.hpp"
#include "store/sql.hpp"

namespace essc::store {

class Database {
 public:
  virtual ~Database() = default;

  template <class F>
  auto read(F&& f) -> decltype(f(std::declval<Connection&>())) {
    using R = decltype(f(std::declval<Connection&>()));
    if constexpr (std::is_void_v<R>) {
      run_read([&](Connection& c) { f(c); });
    } else {
      std::optional<R> out;
      run_read([&](Connection& c) { out.emplace(f(c)); });
      return std::move(*out);
    }
  }

  // Runs f(Connection&) -> Result<T> as one atomic, durable unit:
  // write<T>([&](Connection& c) -> Result<T> {…}).
  template <class T, class F>
  Result<T> write(F&& f) {
    std::optional<Result<T>> result;
    const auto committed = run_write([&](Connection& c) {
      result.emplace(guarded<T>(f, c));
      return result->ok();
    });
    if (!committed.ok()) return committed.error();
    if (!result) return unavailable("the write job did not finish");
    return std::move(*result);
  }

  // Whether the store answers a trivial query and takes writes (GET /readyz): on
  // PostgreSQL, whether a writable primary answers.
  virtual bool ready();
  int schema_version();

  // Statistics for /metrics: transactions and write jobs committed.
  virtual std::uint64_t batches_committed() const = 0;
  virtual std::uint64_t jobs_committed() const = 0;
  // Write jobs run again after a serialization failure, a deadlock or a lost server.
  virtual std::uint64_t write_retries() const { return 0; }

  // UNAVAILABLE with a retry_after of one second.
  static Error unavailable(std::string detail);

 protected:
  virtual void run_read(const std::function<void(Connection&)>& f) = 0;
  // Runs `job` in a transaction of its own or of its batch; the job answers false to be
  // rolled back. UNAVAILABLE when it could not commit.
  virtual Status run_write(const std::function<bool(Connection&)>& job) = 0;

 private:
  // A retryable StoreError, or one of a lost or read-only server, passes through, for
  // run_write() to run the job again (on PostgreSQL, on a new connection to the primary).
  template <class T, class F>
  static Result<T> guarded(F& f, Connection& c) {
    try {
      return f(c);
    } catch (const StoreError& e) {
      if (e.is_retryable() || e.kind() == StoreError::Kind::kUnavailable) throw;
      return Error(e.is_constraint() ? ErrorCode::kConflict : ErrorCode::kUnavailable, e.what());
    } catch (const std::exception& e) {
      return Error(ErrorCode::kInternal, e.what());
    }
  }
};

}  // namespace essc::store
