// Database: the platform's store, whichever engine holds it (docs/architecture.md "The
// store"). read(f) runs f on a connection inside one read-only snapshot; write(f) runs f
// as one atomic, durable transaction and answers only after it is durable.
//
//   SqliteDatabase   (store/sqlite_database.hpp) one writer thread that commits jobs in
//                    groups, each job in its own SAVEPOINT, beside pooled WAL readers.
//   PostgresDatabase (store/postgres_database.hpp) a bounded pool; each write job is a
//                    SERIALIZABLE transaction (READ COMMITTED for write_row_locked()),
//                    run again after a serialization failure or deadlock a bounded
//                    number of times. BEGIN travels with a transaction's first
//                    flight, a read's COMMIT is not waited for, and statements whose
//                    answers are not read, or are sent ahead, go with the next flight
//                    (store/postgres.hpp): a signed status read is one round trip.
//
// A job that returns an error (or throws) is rolled back alone. When a job cannot
// commit (the engine is gone, the retries ran out) write() answers UNAVAILABLE with
// retry_after, never a half-write.
//
// A shared read (read_shared(f)) is one read transaction for a whole request: every
// read() that f makes on its fiber (or thread) joins it instead of opening a snapshot of
// its own, so a signed status read (the client's record, then the binding and its holder)
// costs one BEGIN/COMMIT, one pooled connection and one consistent snapshot.
//
// Thread safety: read() and write() may be called from any thread, but never from
// inside a write job (a job must not call write()). A write waiting for its commit on a
// fiber of the HTTP server's workers suspends the fiber, not the thread
// (common/wait.hpp). A write() inside a shared read takes
// a connection of its own and is not seen by the shared snapshot: a shared read is for
// requests that only read.
// REQUIRES: write jobs are short, may run more than once, and do no I/O other than this
// database: slow work (password hashing, adapters) happens before the job, in the caller.
// A read's f may run a second time when its first statement finds the server gone (a
// failover), so it changes nothing outside itself before that statement.
#pragma once

#include <atomic>
#include <cstddef>
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
    if (Connection* shared = shared_connection()) return f(*shared);
    read_transactions_.fetch_add(1, std::memory_order_relaxed);
    if constexpr (std::is_void_v<R>) {
      run_read([&](Connection& c) { f(c); });
    } else {
      std::optional<R> out;
      run_read([&](Connection& c) { out.emplace(f(c)); });
      return std::move(*out);
    }
  }

  // Runs f() with one read transaction that every read() it makes on this fiber joins.
  // Nested inside another shared read of this database, it joins that one.
  template <class F>
  auto read_shared(F&& f) -> decltype(f()) {
    using R = decltype(f());
    if (shared_connection() != nullptr) return f();
    read_transactions_.fetch_add(1, std::memory_order_relaxed);
    if constexpr (std::is_void_v<R>) {
      run_read([&](Connection& c) {
        const SharedRead scope(*this, c);
        f();
      });
    } else {
      std::optional<R> out;
      run_read([&](Connection& c) {
        const SharedRead scope(*this, c);
        out.emplace(f());
      });
      return std::move(*out);
    }
  }

  // Whether a short read answers in microseconds without leaving the machine (an
  // embedded engine with its pages cached), so that a thread which must not block (an
  // HTTP I/O thread) may run it inline. false for a store across a network: each read
  // is at least a round trip, which would stall every connection of that thread.
  virtual bool reads_are_local() const { return false; }

  // Whether a write's audit entries have their index in the log once write() returns
  // (store/audit_log.hpp): the embedded store's writer sequences every batch it commits;
  // elsewhere a sequencer does within the merge delay, and reading the index back at once
  // would only find it missing.
  virtual bool sequences_audit_on_commit() const { return false; }

  // Runs f(Connection&) -> Result<T> as one atomic, durable unit:
  // write<T>([&](Connection& c) -> Result<T> {…}).
  template <class T, class F>
  Result<T> write(F&& f) {
    return write_with<T>(WriteIsolation::kSerializable, f);
  }

  // As write(), for a job that takes the row locks ordering it behind every write that
  // could change what it checks before it reads any of that (store::lock_person: a
  // settlement's limits, caps and account are its person's). Such a job needs no
  // predicate locks: on PostgreSQL it runs at READ COMMITTED, where writers of different
  // persons never cancel each other (SERIALIZABLE cancels neighbours in an index page,
  // docs/performance.md), and a unique key met by a concurrent insert runs it again,
  // when it sees that row. REQUIRES: every write that could falsify the job's checks
  // takes the same lock or changes the locked row itself.
  template <class T, class F>
  Result<T> write_row_locked(F&& f) {
    return write_with<T>(WriteIsolation::kRowLocks, f);
  }

  // Whether the store answers a trivial query and takes writes (GET /readyz): on
  // PostgreSQL, whether a writable primary answers.
  virtual bool ready();
  int schema_version();

  // Statistics for /metrics: transactions and write jobs committed.
  virtual std::uint64_t batches_committed() const = 0;
  virtual std::uint64_t jobs_committed() const = 0;
  // Write jobs queued for the embedded store's one writer, now (0 elsewhere: each
  // PostgreSQL write holds a pooled connection instead).
  virtual std::size_t writes_waiting() const { return 0; }
  // Write jobs run again after a serialization failure, a deadlock or a lost server.
  virtual std::uint64_t write_retries() const { return 0; }
  // Round trips to a store across a network waited for (0 for an embedded one).
  virtual std::uint64_t round_trips() const { return 0; }
  // Read transactions begun (a read joined to a shared one is not counted again).
  std::uint64_t read_transactions() const {
    return read_transactions_.load(std::memory_order_relaxed);
  }

  // UNAVAILABLE with a retry_after of one second.
  static Error unavailable(std::string detail);
  // UNAVAILABLE for a write whose COMMIT was sent and whose answer was lost: it may
  // have committed, and only a read of what it wrote can tell.
  static Error outcome_unknown();
  static bool is_outcome_unknown(const Error& e);

 protected:
  enum class WriteIsolation { kSerializable, kRowLocks };

  virtual void run_read(const std::function<void(Connection&)>& f) = 0;
  // Runs `job` in a transaction of its own or of its batch; the job answers false to be
  // rolled back. UNAVAILABLE when it could not commit.
  virtual Status run_write(const std::function<bool(Connection&)>& job,
                           WriteIsolation isolation) = 0;
  // Whether another write may run while a job does (PostgreSQL), so that a unique key
  // a row-locked job meets may be a concurrent insert rather than a conflict.
  virtual bool writes_run_concurrently() const { return true; }

 private:
  // Marks this fiber as inside a shared read of `db` on `c` for its lifetime.
  class SharedRead {
   public:
    SharedRead(const Database& db, Connection& c);
    ~SharedRead();
    SharedRead(const SharedRead&) = delete;
    SharedRead& operator=(const SharedRead&) = delete;

   private:
    friend class Database;
    const Database& db_;
    Connection& connection_;
    const SharedRead* previous_;
  };
  // The shared read open on this thread's fiber.
  static thread_local const SharedRead* shared_read_;
  static const bool shared_read_is_fiber_local_;
  // The connection of this fiber's open shared read of this database, if any.
  Connection* shared_connection() const;

  std::atomic<std::uint64_t> read_transactions_{0};

  template <class T, class F>
  Result<T> write_with(WriteIsolation isolation, F& f) {
    const bool racing_keys = isolation == WriteIsolation::kRowLocks && writes_run_concurrently();
    std::optional<Result<T>> result;
    const auto committed = run_write(
        [&](Connection& c) {
          result.emplace(guarded<T>(f, c, racing_keys));
          return result->ok();
        },
        isolation);
    if (!committed.ok()) return committed.error();
    if (!result) return unavailable("the write job did not finish");
    return std::move(*result);
  }

  // A retryable StoreError, or one of a lost or read-only server, passes through, for
  // run_write() to run the job again (on PostgreSQL, on a new connection to the primary);
  // so does a constraint's when `racing_keys`.
  template <class T, class F>
  static Result<T> guarded(F& f, Connection& c, bool racing_keys) {
    try {
      return f(c);
    } catch (const StoreError& e) {
      if (e.is_retryable() || e.kind() == StoreError::Kind::kUnavailable) throw;
      if (racing_keys && e.is_constraint()) throw;
      return Error(e.is_constraint() ? ErrorCode::kConflict : ErrorCode::kUnavailable, e.what());
    } catch (const std::exception& e) {
      return Error(ErrorCode::kInternal, e.what());
    }
  }
};

}  // namespace essc::store
