#include "store/database.hpp"


#include "common/limits.hpp"
#include "common/log.hpp"
#include "store/migrations.hpp"

namespace essc::store {

Database::Database(std::string path, const Clock& clock) : path_(std::move(path)) {
  writer_connection_ = std::make_unique<Connection>(path_, /*synchronous_full=*/true);
  apply_migrations(*writer_connection_, clock.now_ms());
  writer_ = std::thread([this] { writer_loop(); });
}

Database::~Database() {
  {
    std::lock_guard lock(queue_mutex_);
    stopping_ = true;
  }
  queue_ready_.notify_all();
  writer_.join();
}

Database::Lease::Lease(Database& database) : db(database) {
  {
    std::lock_guard lock(db.readers_mutex_);
    if (!db.idle_readers_.empty()) {
      connection = std::move(db.idle_readers_.back());
      db.idle_readers_.pop_back();
    }
  }
  if (!connection) connection = std::make_unique<Connection>(db.path_, /*synchronous_full=*/true);
  connection->prepare("BEGIN").run();
}

Database::Lease::~Lease() {
  connection->reset_all();
  try {
    connection->prepare("COMMIT").run();
  } catch (const SqliteError&) {
    return;  // a broken connection is dropped, not pooled
  }
  std::lock_guard lock(db.readers_mutex_);
  db.idle_readers_.push_back(std::move(connection));
}

Status Database::submit(const std::function<bool(Connection&)>& run) {
  Job job{run};
  {
    std::lock_guard lock(queue_mutex_);
    if (stopping_ || queue_.size() >= limits::kWriteQueueJobsMax) {
      return Error(ErrorCode::kUnavailable, "write queue full or stopping");
    }
    queue_.push_back(&job);
  }
  queue_ready_.notify_one();
  job.done.acquire();
  if (job.commit_failed) return Error(ErrorCode::kUnavailable, "commit failed");
  return {};
}

void Database::writer_loop() {
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

void Database::commit_batch(std::vector<Job*>& batch) {
  Connection& c = *writer_connection_;
  bool committed = false;
  try {
    c.prepare("BEGIN IMMEDIATE").run();
    for (Job* job : batch) {
      c.prepare("SAVEPOINT job").run();
      bool keep = false;
      try {
        keep = job->run(c);
      } catch (const std::exception& e) {
        log_event(spdlog::level::err, {{"event", "write_job_failed"}, {"detail", std::string_view(e.what())}});
      }
      c.reset_all();
      if (!keep) c.prepare("ROLLBACK TO job").run();
      c.prepare("RELEASE job").run();
    }
    c.prepare("COMMIT").run();
    committed = true;
  } catch (const SqliteError& e) {
    log_event(spdlog::level::err, {{"event", "write_batch_failed"},
                                   {"jobs", static_cast<std::int64_t>(batch.size())},
                                   {"detail", std::string_view(e.what())}});
    try {
      c.exec("ROLLBACK");
    } catch (const SqliteError&) {
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
    job->done.release();
  }
}

bool Database::ready() {
  try {
    return read([](Connection& c) {
      auto& s = c.prepare("SELECT 1");
      return s.step() && s.int64(0) == 1;
    });
  } catch (const SqliteError&) {
    return false;
  }
}

int Database::schema_version() {
  return read([](Connection& c) { return current_schema_version(c); });
}

std::uint64_t Database::batches_committed() const {
  std::lock_guard lock(queue_mutex_);
  return batches_committed_;
}

std::uint64_t Database::jobs_committed() const {
  std::lock_guard lock(queue_mutex_);
  return jobs_committed_;
}

}  // namespace essc::store
