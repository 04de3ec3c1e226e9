// The embedded store: one SQLite file (WAL, synchronous=FULL) with many readers and one
// writer that commits in groups (ARCHITECTURE.md "Threads and the request path").
//
// read(f) runs f on a pooled read connection in the caller's thread; WAL lets it run
// beside the writer. write(f) hands f to the writer thread, which runs a batch of jobs
// in one transaction, each inside its own SAVEPOINT, commits the batch with one fsync
// and only then resumes the callers (common/wait.hpp: a caller on a fiber holds no
// thread while it waits).
#pragma once

#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "common/clock.hpp"
#include "common/wait.hpp"
#include "store/database.hpp"
#include "store/sqlite.hpp"

namespace essc::store {

class SqliteDatabase final : public Database {
 public:
  // Opens the file, applies pending migrations and starts the writer.
  SqliteDatabase(std::string path, const Clock& clock);
  ~SqliteDatabase() override;
  SqliteDatabase(const SqliteDatabase&) = delete;
  SqliteDatabase& operator=(const SqliteDatabase&) = delete;

  std::uint64_t batches_committed() const override;
  std::uint64_t jobs_committed() const override;
  std::size_t writes_waiting() const override;
  // A read is a few B-tree lookups in pages the kernel (or SQLite) caches: microseconds.
  bool reads_are_local() const override { return true; }
  bool sequences_audit_on_commit() const override { return true; }

 protected:
  void run_read(const std::function<void(Connection&)>& f) override;
  Status run_write(const std::function<bool(Connection&)>& job, WriteIsolation isolation) override;
  // The writer thread runs one job at a time, in the order they queue.
  bool writes_run_concurrently() const override { return false; }

 private:
  struct Job {
    const std::function<bool(Connection&)>& run;  // false: roll this job back
    Resume done;  // called by the writer once the job's batch has committed or failed
    bool commit_failed = false;
  };

  void writer_loop();
  void commit_batch(std::vector<Job*>& batch);

  std::string path_;
  std::unique_ptr<SqliteConnection> writer_connection_;

  std::mutex readers_mutex_;
  std::vector<std::unique_ptr<SqliteConnection>> idle_readers_;

  mutable std::mutex queue_mutex_;
  std::condition_variable queue_ready_;
  std::deque<Job*> queue_;
  bool stopping_ = false;
  std::uint64_t batches_committed_ = 0;
  std::uint64_t jobs_committed_ = 0;
  std::thread writer_;
};

}  // namespace essc::store
