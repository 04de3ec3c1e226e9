// Database: the platform's SQLite store (WAL, synchronous=FULL) with many readers and
// one writer that commits in groups (ARCHITECTURE.md "Threads and the request path").
//
// read(f) runs f on a pooled read connection in the caller's thread; WAL lets it run
// beside the writer. write(f) hands f to the writer thread, which runs a batch of jobs
// in one transaction, each inside its own SAVEPOINT, commits the batch with one fsync
// and only then wakes the callers: no caller sees success before its write is durable.
// A job that returns an error (or throws) is rolled back to its savepoint alone; the
// rest of the batch commits.
//
// Thread safety: read() and write() may be called from any thread, but never from the
// writer thread itself (a write job must not call write()).
// REQUIRES: write jobs are short and do no I/O other than this database: slow work
// (password hashing, adapters) happens before the job, in the caller.
#pragma once

#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <semaphore>
#include <string>
#include <thread>
#include <vector>

#include "common/clock.hpp"
#include "common/result.hpp"
#include "store/sqlite.hpp"

namespace essc::store {

class Database {
 public:
  // Opens the file, applies pending migrations and starts the writer.
  Database(std::string path, const Clock& clock);
  ~Database();
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

  template <class F>
  auto read(F&& f) -> decltype(f(std::declval<Connection&>())) {
    Lease lease(*this);
    return f(*lease.connection);
  }

  // Runs f(Connection&) -> Result<T> as one atomic, durable unit:
  // write<T>([&](Connection& c) -> Result<T> {…}).
  template <class T, class F>
  Result<T> write(F&& f) {
    return write_function<T>(std::function<Result<T>(Connection&)>(std::forward<F>(f)));
  }

  // Whether the database answers a trivial query (GET /readyz).
  bool ready();
  int schema_version();
  const std::string& path() const { return path_; }

  // Statistics for /metrics.
  std::uint64_t batches_committed() const;
  std::uint64_t jobs_committed() const;

 private:
  template <class T>
  Result<T> write_function(const std::function<Result<T>(Connection&)>& f) {
    std::optional<Result<T>> result;
    const auto commit = submit([&](Connection& c) {
      result.emplace(guarded<T>(f, c));
      return result->ok();
    });
    if (!commit.ok()) return commit.error();
    if (!result) return Error(ErrorCode::kInternal, "write job ended without a result");
    return std::move(*result);
  }


  struct Job {
    std::function<bool(Connection&)> run;  // false: roll this job back
    std::binary_semaphore done{0};
    bool commit_failed = false;
  };
  struct Lease {
    explicit Lease(Database& db);
    ~Lease();
    Database& db;
    std::unique_ptr<Connection> connection;
  };

  template <class T>
  static Result<T> guarded(const std::function<Result<T>(Connection&)>& f, Connection& c) {
    try {
      return f(c);
    } catch (const SqliteError& e) {
      return Error(e.is_constraint() ? ErrorCode::kConflict : ErrorCode::kUnavailable, e.what());
    } catch (const std::exception& e) {
      return Error(ErrorCode::kInternal, e.what());
    }
  }

  Status submit(const std::function<bool(Connection&)>& run);
  void writer_loop();
  void commit_batch(std::vector<Job*>& batch);

  std::string path_;
  std::unique_ptr<Connection> writer_connection_;

  std::mutex readers_mutex_;
  std::vector<std::unique_ptr<Connection>> idle_readers_;

  mutable std::mutex queue_mutex_;
  std::condition_variable queue_ready_;
  std::deque<Job*> queue_;
  bool stopping_ = false;
  std::uint64_t batches_committed_ = 0;
  std::uint64_t jobs_committed_ = 0;
  std::thread writer_;
};

}  // namespace essc::store
