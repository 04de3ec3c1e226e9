// The embedded store: migrations, group commit, per-job rollback.
#include "store/sqlite_database.hpp"

#include <gtest/gtest.h>
#include <poll.h>

#include <filesystem>
#include <functional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "common/wait.hpp"
#include "store/migrations.hpp"
#include "support/test_platform.hpp"

namespace essc::store {
namespace {

constexpr char kCreate[] = "CREATE TABLE IF NOT EXISTS t (k INTEGER PRIMARY KEY, v TEXT NOT NULL)";
constexpr char kInsert[] = "INSERT INTO t (k, v) VALUES (?, ?)";
constexpr char kCount[] = "SELECT COUNT(*) FROM t";

std::int64_t count_rows(Database& db) {
  return db.read([](Connection& c) {
    return c.prepare(kCount).first([](const Statement& s) { return s.int64(0); }).value();
  });
}

TEST(Database, MigrationsApplyOnceAndReopenChangesNothing) {
  testing::TempDir dir;
  ManualClock clock(testing::kTestEpochMs);
  const auto path = (dir.path() / "essc.db").string();
  {
    SqliteDatabase db(path, clock);
    EXPECT_EQ(db.schema_version(), latest_schema_version());
  }
  SqliteConnection c(path, true);
  EXPECT_EQ(apply_migrations(c, clock.now_ms()), 0);
}

// R-S4's daily settlement count runs on every settlement: it must read one person's one
// day from an index, not every settlement the person ever made.
TEST(Database, R_S4_DailySettlementCountReadsOnlyThatDayFromAnIndex) {
  testing::TempDir dir;
  ManualClock clock(testing::kTestEpochMs);
  SqliteDatabase db((dir.path() / "essc.db").string(), clock);
  const auto plan = db.read([](Connection& c) {
    auto& s = c.prepare(
        "EXPLAIN QUERY PLAN SELECT COUNT(*) FROM settlements WHERE person_id = ? AND day = ?");
    std::string detail;
    while (s.step()) detail += s.text(3) + "\n";
    return detail;
  });
  EXPECT_NE(plan.find("COVERING INDEX settlements_by_person_day (person_id=? AND day=?)"),
            std::string::npos)
      << plan;
}

// A signed short read (authentication, then the handler's reads) is one snapshot: every
// read inside a shared read joins its transaction, on its thread only.
TEST(Database, ReadsInsideASharedReadJoinOneTransactionOnItsThread) {
  testing::TempDir dir;
  ManualClock clock(testing::kTestEpochMs);
  SqliteDatabase db((dir.path() / "essc.db").string(), clock);
  EXPECT_TRUE(db.reads_are_local());
  const auto before = db.read_transactions();
  const Connection* outer = nullptr;
  const Connection* inner = nullptr;
  std::uint64_t other_thread_reads = 0;
  db.read_shared([&] {
    db.read([&](Connection& c) { outer = &c; });
    db.read_shared([&] { db.read([&](Connection& c) { inner = &c; }); });
    std::thread other([&] {
      const auto at = db.read_transactions();
      db.read([](Connection&) {});
      other_thread_reads = db.read_transactions() - at;
    });
    other.join();
  });
  EXPECT_NE(outer, nullptr);
  EXPECT_EQ(outer, inner);
  EXPECT_EQ(other_thread_reads, 1u);
  EXPECT_EQ(db.read_transactions() - before, 2u);  // the shared one and the other thread's
}

// What a worker thread does while one fiber waits: it runs another. That one's reads
// must not join the waiting fiber's shared read, whatever the wait is for
// (common/wait.hpp).
class RunsAnotherFiberMeanwhile : public Suspender {
 public:
  explicit RunsAnotherFiberMeanwhile(std::function<void()> other) : other_(std::move(other)) {}
  void suspend(const WaitStart& start, std::optional<Deadline> /*deadline*/) override {
    bool resumed = false;
    start([&resumed] { resumed = true; });
    other_();
    EXPECT_TRUE(resumed);
  }
  void suspend_until_readable(int fd) override {
    other_();
    pollfd watched{fd, POLLIN, 0};
    ::poll(&watched, 1, -1);
  }

 private:
  std::function<void()> other_;
};

TEST(Database, AFiberThatWaitsTakesItsSharedReadAlong) {
  testing::TempDir dir;
  ManualClock clock(testing::kTestEpochMs);
  SqliteDatabase db((dir.path() / "essc.db").string(), clock);
  std::uint64_t meanwhile_reads = 0;
  RunsAnotherFiberMeanwhile worker([&] {
    const auto at = db.read_transactions();
    db.read([](Connection&) {});
    meanwhile_reads = db.read_transactions() - at;
  });
  const SuspenderScope on_a_fiber(worker);
  const Connection* before_wait = nullptr;
  const Connection* after_wait = nullptr;
  const auto at = db.read_transactions();
  db.read_shared([&] {
    db.read([&](Connection& c) { before_wait = &c; });
    wait_for([](const Resume& resume) { resume(); });  // an Argon2id slot, say
    db.read([&](Connection& c) { after_wait = &c; });
  });
  EXPECT_EQ(meanwhile_reads, 1u);  // a transaction of its own
  EXPECT_EQ(before_wait, after_wait);
  EXPECT_EQ(db.read_transactions() - at, 2u);
}

TEST(Database, ConcurrentWritesAreAllDurableAndShareCommits) {
  testing::TempDir dir;
  ManualClock clock(testing::kTestEpochMs);
  const auto path = (dir.path() / "essc.db").string();
  constexpr int kThreads = 16;
  constexpr int kWritesPerThread = 50;
  {
    SqliteDatabase db(path, clock);
    ASSERT_TRUE(db.write<bool>([](Connection& c) -> Result<bool> {
                    c.exec(kCreate);
                    return true;
                  }).ok());
    std::vector<std::thread> threads;
    threads.reserve(kThreads);
    for (int t = 0; t < kThreads; ++t) {
      threads.emplace_back([&db, t] {
        for (int i = 0; i < kWritesPerThread; ++i) {
          auto r = db.write<bool>([&](Connection& c) -> Result<bool> {
            c.prepare(kInsert).bind_all(t * 1000 + i, "x").run();
            return true;
          });
          EXPECT_TRUE(r.ok());
        }
      });
    }
    for (auto& thread : threads) thread.join();
    EXPECT_EQ(count_rows(db), kThreads * kWritesPerThread);
    // Group commit: sixteen writers waiting at once share fsyncs.
    EXPECT_LT(db.batches_committed(), db.jobs_committed());
  }
  SqliteDatabase reopened(path, clock);
  EXPECT_EQ(count_rows(reopened), kThreads * kWritesPerThread);
}

TEST(Database, AFailedJobRollsBackAloneAndAConstraintIsConflict) {
  testing::TempDir dir;
  ManualClock clock(testing::kTestEpochMs);
  SqliteDatabase db((dir.path() / "essc.db").string(), clock);
  ASSERT_TRUE(db.write<bool>([](Connection& c) -> Result<bool> {
                  c.exec(kCreate);
                  c.prepare(kInsert).bind_all(1, "one").run();
                  return true;
                }).ok());
  auto refused = db.write<bool>([](Connection& c) -> Result<bool> {
    c.prepare(kInsert).bind_all(2, "two").run();
    return Error(ErrorCode::kInsufficientFunds);
  });
  EXPECT_EQ(refused.error().code, ErrorCode::kInsufficientFunds);
  auto duplicate = db.write<bool>([](Connection& c) -> Result<bool> {
    c.prepare(kInsert).bind_all(3, "three").run();
    c.prepare(kInsert).bind_all(1, "again").run();
    return true;
  });
  EXPECT_EQ(duplicate.error().code, ErrorCode::kConflict);
  EXPECT_EQ(count_rows(db), 1);  // neither 2 nor 3 survived
}

// SQLite names its temporary files etilqs_… and unlinks them at once: an open one shows
// in /proc/self/fd as "(deleted)".
bool has_sqlite_temporary_file() {
  for (const auto& fd : std::filesystem::directory_iterator("/proc/self/fd")) {
    std::error_code error;
    const auto target = std::filesystem::read_symlink(fd.path(), error).string();
    if (target.find("etilqs_") != std::string::npos) return true;
  }
  return false;
}

// A job's savepoint journals every page the job changes. A settlement changes a dozen
// existing pages; on a temporary file each would cost the writer a system call.
TEST(Database, AJobThatChangesManyPagesJournalsThemInMemoryAndStillRollsBackAlone) {
  testing::TempDir dir;
  ManualClock clock(testing::kTestEpochMs);
  SqliteDatabase db((dir.path() / "essc.db").string(), clock);
  constexpr int kRows = 64;  // a page each: 256 KiB, past the journal's 64 KiB in memory
  ASSERT_TRUE(db.write<bool>([&](Connection& c) -> Result<bool> {
                  c.exec(kCreate);
                  for (int k = 0; k < kRows; ++k)
                    c.prepare(kInsert).bind_all(k, std::string(4000, 'a')).run();
                  return true;
                }).ok());
  bool temporary_file = true;
  auto refused = db.write<bool>([&](Connection& c) -> Result<bool> {
    c.exec("UPDATE t SET v = replace(v, 'a', 'b')");
    temporary_file = has_sqlite_temporary_file();
    return Error(ErrorCode::kInsufficientFunds);
  });
  EXPECT_EQ(refused.error().code, ErrorCode::kInsufficientFunds);
  EXPECT_FALSE(temporary_file);
  const auto unchanged = db.read([](Connection& c) {
    return c.prepare("SELECT COUNT(*) FROM t WHERE v = ?")
        .bind_all(std::string(4000, 'a'))
        .first([](const Statement& s) { return s.int64(0); })
        .value();
  });
  EXPECT_EQ(unchanged, kRows);
}

// A write job that calls write() would wait for the writer thread that runs it: the
// process stops at once, naming the broken rule, instead of hanging every write.
TEST(DatabaseDeathTest, AWriteJobThatWritesStopsTheProcess) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  EXPECT_DEATH(
      {
        testing::TempDir dir;
        ManualClock clock(testing::kTestEpochMs);
        SqliteDatabase db((dir.path() / "essc.db").string(), clock);
        (void)db.write<bool>([&](Connection&) -> Result<bool> {
          return db.write<bool>([](Connection&) -> Result<bool> { return true; });
        });
      },
      "writer_.get_id");
}

}  // namespace
}  // namespace essc::store
