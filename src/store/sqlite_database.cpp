#include "store/sqlite_database.hpp"

#include "common/assert.hpp"
#include "common/limits.hpp"
#include "common/log.hpp"
#include "store/audit_log.hpp"
#include "store/migrations.hpp"

namespace essc::store {

SqliteDatabase::SqliteDatabase(std::string path, const Clock& clock) : path_(std::move(path)) {
  writer_connection_ = std::make_unique<SqliteConnection>(path_, /*synchronous_full=*/true);
  // Each job runs in a savepoint, which copies every page the job changes into the
  // statement journal. On a temporary file (SQLite's default past 64 KiB) each of a
  // settlement's dozen pages would be one more pwrite call on the writer's thread; in
  // memory, a job's journal is freed when the job's savepoint is released.
  writer_connection_->exec("PRAGMA temp_store=MEMORY");
  apply_migrations(*writer_connection_, clock.now_ms());
  writer_ = std::thread([this] { writer_loop(); });
}

SqliteDatabase::~SqliteDatabase() {
  {
    std::lock_guard lock(queue_mutex_);
    stopping_ = true;
  }
  queue_ready_.notify_all();
  writer_.join();
}

void SqliteDatabase::run_read(const std::function<void(Connection&)>& f) {
  std::unique_ptr<SqliteConnection> connection;
  {
    std::lock_guard lock(readers_mutex_);
    if (!idle_readers_.empty()) {
      connection = std::move(idle_readers_.back());
      idle_readers_.pop_back();
    }
  }
  if (!connection)
    connection = std::make_unique<SqliteConnection>(path_, /*synchronous_full=*/true);
  static constexpr char kBegin[] = "BEGIN";
  static constexpr char kCommit[] = "COMMIT";
  connection->prepare(kBegin).run();
  // The connection goes back to the pool whatever f does, once its snapshot is closed.
  const auto release = [&] {
    connection->reset_all();
    try {
      connection->prepare(kCommit).run();
    } catch (const StoreError&) {
      return;  // a broken connection is dropped, not pooled
    }
    std::lock_guard lock(readers_mutex_);
    idle_readers_.push_back(std::move(connection));
  };
  try {
    f(*connection);
  } catch (...) {
    release();
    throw;
  }
  release();
}

// One writer: every job is serialized, whatever isolation it asks for. The caller waits
// for its batch's commit without holding its thread where it runs on a fiber: a burst of
// settlements queues here in thousands and shares one fsync, the worker pool free.
Status SqliteDatabase::run_write(const std::function<bool(Connection&)>& run,
                                 WriteIsolation /*isolation*/) {
  // A write job that calls write() would wait on the writer, which is running it: the
  // store would hang for good (database.hpp: a job must not call write()).
  ESSC_INVARIANT(std::this_thread::get_id() != writer_.get_id());
  Job job{run, {}, false};
  bool queued = false;
  wait_for([&](Resume resume) {
    job.done = std::move(resume);
    {
      std::lock_guard lock(queue_mutex_);
      queued = !stopping_ && queue_.size() < limits::kWriteQueueJobsMax;
      if (queued) queue_.push_back(&job);
    }
    if (!queued) return job.done();
    queue_ready_.notify_one();
  });
  if (!queued) return unavailable("write queue full or stopping");
  if (job.commit_failed) return unavailable("commit failed");
  return {};
}

void SqliteDatabase::writer_loop() {
  std::vector<Job*> batch;
  for (;;) {
    {
      std::unique_lock lock(queue_mutex_);
      queue_ready_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) return;  // stopping and drained
      while (!queue_.empty() && batch.size() < limits::kWriteBatchJobsMax) {
        batch.push_back(queue_.front());
        queue_.pop_front();
      }
    }
    commit_batch(batch);
    batch.clear();
  }
}

namespace {

// The writer is the only one, so it is the log's sequencer too: the entries of a batch
// are in the tree when the batch commits (merge delay 0). Should it fail, the entries
// stay pending for the next batch; the batch itself still commits.
void sequence_audit_entries(SqliteConnection& c) {
  c.prepare("SAVEPOINT sequencer").run();
  try {
    (void)integrate_audit(c, limits::kAuditSequencerBatchMax);
  } catch (const StoreError& e) {
    log_event(spdlog::level::err,
              {{"event", "audit_sequencer_failed"}, {"detail", std::string_view(e.what())}});
    c.reset_all();
    c.prepare("ROLLBACK TO sequencer").run();
  }
  c.prepare("RELEASE sequencer").run();
}

}  // namespace

void SqliteDatabase::commit_batch(std::vector<Job*>& batch) {
  SqliteConnection& c = *writer_connection_;
  bool committed = false;
  try {
    c.prepare("BEGIN IMMEDIATE").run();
    for (Job* job : batch) {
      c.prepare("SAVEPOINT job").run();
      bool keep = false;
      try {
        keep = job->run(c);
      } catch (const std::exception& e) {
        log_event(spdlog::level::err,
                  {{"event", "write_job_failed"}, {"detail", std::string_view(e.what())}});
      }
      c.reset_all();
      if (!keep) c.prepare("ROLLBACK TO job").run();
      c.prepare("RELEASE job").run();
    }
    sequence_audit_entries(c);
    c.prepare("COMMIT").run();
    committed = true;
  } catch (const StoreError& e) {
    log_event(spdlog::level::err, {{"event", "write_batch_failed"},
                                   {"jobs", static_cast<std::int64_t>(batch.size())},
                                   {"detail", std::string_view(e.what())}});
    try {
      c.exec("ROLLBACK");
    } catch (const StoreError&) {
    }
  }
  {
    std::lock_guard lock(queue_mutex_);
    if (committed) {
      ++batches_committed_;
      jobs_committed_ += batch.size();
    }
  }
  for (Job* job : batch) {
    job->commit_failed = !committed;
    // The waiting caller may free the job as soon as it resumes.
    const Resume done = std::move(job->done);
    done();
  }
}

std::uint64_t SqliteDatabase::batches_committed() const {
  std::lock_guard lock(queue_mutex_);
  return batches_committed_;
}

std::size_t SqliteDatabase::writes_waiting() const {
  std::lock_guard lock(queue_mutex_);
  return queue_.size();
}

std::uint64_t SqliteDatabase::jobs_committed() const {
  std::lock_guard lock(queue_mutex_);
  return jobs_committed_;
}

}  // namespace essc::store
