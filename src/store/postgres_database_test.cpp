// The server engine's round trips (store/postgres.hpp): BEGIN travels with a
// transaction's first statement and a read's COMMIT is answered to the connection's next
// use. These tests hold one pooled connection through reads, writes and failures in
// every order, so a protocol state left behind by one shows in the next; and a read whose
// connection the server dropped runs again on a new one. PostgreSQL only.
#include "store/postgres_database.hpp"

#include <gtest/gtest.h>
#include <sys/socket.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <set>
#include <string>
#include <system_error>
#include <thread>
#include <vector>

#include "support/store_rows.hpp"
#include "support/test_platform.hpp"

namespace essc::store {
namespace {

constexpr char kCreate[] = "CREATE TABLE t (k BIGINT PRIMARY KEY)";
constexpr char kInsert[] = "INSERT INTO t (k) VALUES (?)";
constexpr char kCount[] = "SELECT COUNT(*) FROM t";
constexpr char kCountFrom[] = "SELECT COUNT(*) FROM t WHERE k >= ?";
constexpr char kDivideByOthers[] = "SELECT 1 / (COUNT(*) - ?) FROM t";
constexpr char kBackend[] = "SELECT pg_backend_pid()";
constexpr char kTerminate[] = "SELECT pg_terminate_backend(?)";
constexpr char kAlive[] = "SELECT COUNT(*) FROM pg_stat_activity WHERE pid = ?";
constexpr char kNoSuchTable[] = "SELECT k FROM no_such_table";

using testing::first_int;

// The descriptors of this process's open sockets.
std::set<int> open_sockets() {
  std::set<int> out;
  for (const auto& entry : std::filesystem::directory_iterator("/proc/self/fd")) {
    std::error_code error;
    const auto target = std::filesystem::read_symlink(entry.path(), error);
    if (!error && target.string().starts_with("socket:"))
      out.insert(std::stoi(entry.path().filename().string()));
  }
  return out;
}

class PostgresRoundTrips : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!t_.postgres_schema()) GTEST_SKIP() << "the PostgreSQL store's protocol";
    target_ =
        PostgresTarget{std::getenv("ESSC_TEST_STORE_URL"), std::nullopt, t_.postgres_schema()};
    const auto before = open_sockets();
    db_ = std::make_unique<PostgresDatabase>(*target_, 1, t_.clock());  // one connection
    for (const int fd : open_sockets())
      if (!before.contains(fd)) pooled_socket_ = fd;
    ASSERT_TRUE(db_->write<bool>([](Connection& c) -> Result<bool> {
                     c.exec(kCreate);
                     return true;
                   })
                    .ok());
  }

  Result<bool> insert(std::int64_t k) {
    return db_->write<bool>([k](Connection& c) -> Result<bool> {
      c.prepare(kInsert).bind_all(k).run();
      return true;
    });
  }
  std::int64_t count() {
    return db_->read([](Connection& c) { return first_int(c, kCount); });
  }
  std::int64_t backend() {
    return db_->read([](Connection& c) { return first_int(c, kBackend); });
  }
  // Ends the server process behind `pid` from another connection, and waits until it is gone.
  void terminate(std::int64_t pid) {
    PostgresConnection other(*target_);
    first_int(other, kTerminate, pid);
    for (int i = 0; i < 200 && first_int(other, kAlive, pid) > 0; ++i)
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }

  testing::TestPlatform t_;
  std::optional<PostgresTarget> target_;
  std::unique_ptr<PostgresDatabase> db_;
  int pooled_socket_ = -1;  // the pool's one connection's, as first opened
};

TEST_F(PostgresRoundTrips, OneConnectionServesReadsWritesAndFailuresInEveryOrder) {
  const auto pid = backend();
  for (int i = 1; i <= 20; ++i) {
    ASSERT_TRUE(insert(i).ok());
    EXPECT_EQ(count(), i);          // a read just after a write sees it
    EXPECT_EQ(count(), i);          // and a read just after a read, whose COMMIT was not awaited
    db_->read([](Connection&) {});  // a read that runs nothing sends nothing
    EXPECT_EQ(insert(i).error().code, ErrorCode::kConflict);  // a failed first statement
    EXPECT_THROW(db_->read([](Connection& c) { first_int(c, kNoSuchTable); }), StoreError);
    auto refused = db_->write<bool>([&](Connection& c) -> Result<bool> {
      c.prepare(kInsert).bind_all(1000 + i).run();
      return Error(ErrorCode::kInsufficientFunds);  // rolled back after a statement ran
    });
    EXPECT_EQ(refused.error().code, ErrorCode::kInsufficientFunds);
    EXPECT_TRUE(db_->write<bool>([](Connection&) -> Result<bool> { return true; }).ok());
  }
  EXPECT_EQ(count(), 20);
  EXPECT_EQ(backend(), pid);  // none of it cost the connection
}

// What /metrics counts (essc_db_round_trips_total): a read of one statement is one
// round trip, its COMMIT unawaited and answered with the next flight; a write whose
// statements are read by nobody is one, BEGIN, the statements and COMMIT in one flight.
TEST_F(PostgresRoundTrips, AreCountedAsEachFlightIsAwaited) {
  ASSERT_EQ(count(), 0);  // its statement prepared: a round trip of its own, once
  ASSERT_TRUE(insert(0).ok());
  const auto before = db_->round_trips();
  EXPECT_EQ(count(), 1);
  EXPECT_EQ(db_->round_trips() - before, 1u);
  EXPECT_EQ(count(), 1);
  EXPECT_EQ(db_->round_trips() - before, 2u);
  ASSERT_TRUE(db_->write<bool>([](Connection& c) -> Result<bool> {
                   c.prepare(kInsert).bind_all(1).run();
                   c.prepare(kInsert).bind_all(2).run();
                   return true;
                 })
                  .ok());
  EXPECT_EQ(db_->round_trips() - before, 3u);
  db_->read([](Connection&) {});  // nothing run, nothing sent
  EXPECT_EQ(db_->round_trips() - before, 3u);
  ASSERT_TRUE(db_->write<bool>([](Connection& c) -> Result<bool> {
                   c.prepare(kInsert).bind_all(3).run();
                   return first_int(c, kCount) == 4;  // the insert and the read: one flight
                 })
                  .ok());
  EXPECT_EQ(db_->round_trips() - before, 5u);
  EXPECT_EQ(count(), 4);
}

// A statement queued for a later flight fails there: a unique key it meets is CONFLICT
// at the commit as it would have been at once, and nothing of the job is written; a read
// after it in the job meets the same failure; a row-locked job runs again, as when its
// insert meets a concurrent one (store/database.hpp).
TEST_F(PostgresRoundTrips, AQueuedStatementsFailureIsTheJobsWhereverItIsRead) {
  ASSERT_TRUE(insert(1).ok());
  const auto two_then = [](std::int64_t k) {
    return [k](Connection& c) -> Result<bool> {
      c.prepare(kInsert).bind_all(2).run();
      c.prepare(kInsert).bind_all(k).run();
      return true;
    };
  };
  EXPECT_EQ(db_->write<bool>(two_then(1)).error().code, ErrorCode::kConflict);
  EXPECT_EQ(count(), 1);
  auto read_after = db_->write<bool>([](Connection& c) -> Result<bool> {
    c.prepare(kInsert).bind_all(1).run();
    return first_int(c, kCount) > 0;
  });
  EXPECT_EQ(read_after.error().code, ErrorCode::kConflict);
  int runs = 0;
  ASSERT_TRUE(db_->write_row_locked<bool>([&](Connection& c) -> Result<bool> {
                   c.prepare(kInsert).bind_all(++runs == 1 ? 1 : 3).run();
                   return true;
                 })
                  .ok());
  EXPECT_EQ(runs, 2);
  // A job refused after its queued statement failed: the refusal is the job's own.
  auto refused = db_->write<bool>([](Connection& c) -> Result<bool> {
    c.prepare(kInsert).bind_all(1).run();
    return Error(ErrorCode::kInsufficientFunds);
  });
  EXPECT_EQ(refused.error().code, ErrorCode::kInsufficientFunds);
  EXPECT_TRUE(db_->write<bool>(two_then(5)).ok());
  EXPECT_EQ(count(), 4);  // 1, 3, 2 and 5
}

// Reads a write will make, sent ahead (Statement::send_ahead()), share the flight of the
// first of them that is read. Each still answers as if it had run where it is read: with
// other bindings, or after a statement that may write, it runs again there. A failure
// among them is the job's at that first read; one never read costs the commit nothing.
// Reads send theirs ahead the same way.
TEST_F(PostgresRoundTrips, ReadsSentAheadShareTheFlightOfTheFirstOfThemRead) {
  for (const std::int64_t k : {1, 2, 3}) ASSERT_TRUE(insert(k).ok());
  ASSERT_EQ(count(), 3);  // each statement prepared: a round trip of its own, once
  ASSERT_EQ(db_->read([](Connection& c) { return first_int(c, kCountFrom, 0); }), 3);
  const auto before = db_->round_trips();
  std::vector<std::int64_t> seen;
  ASSERT_TRUE(db_->write<bool>([&](Connection& c) -> Result<bool> {
                   seen = {first_int(c, kCountFrom, 3)};
                   c.prepare(kCountFrom).bind_all(2).send_ahead();
                   c.prepare(kCount).send_ahead();
                   seen.push_back(first_int(c, kCountFrom, 2));
                   seen.push_back(first_int(c, kCount));
                   return true;
                 })
                  .ok());
  EXPECT_EQ(seen, (std::vector<std::int64_t>{1, 2, 3}));
  EXPECT_EQ(db_->round_trips() - before, 3u);  // BEGIN and a read; both reads; the COMMIT

  ASSERT_TRUE(db_->write<bool>([&](Connection& c) -> Result<bool> {
                   c.prepare(kCount).send_ahead();
                   c.prepare(kCountFrom).bind_all(1).send_ahead();
                   c.prepare(kInsert).bind_all(4).run();
                   seen = {first_int(c, kCount), first_int(c, kCountFrom, 3)};
                   c.prepare(kCountFrom).bind_all(1).send_ahead();
                   seen.push_back(first_int(c, kCountFrom, 4));
                   c.prepare(kCount).send_ahead();  // never read
                   return true;
                 })
                  .ok());
  EXPECT_EQ(seen, (std::vector<std::int64_t>{4, 2, 1}));

  bool read_on = false;
  auto failed = db_->write<bool>([&](Connection& c) -> Result<bool> {
    c.prepare(kDivideByOthers).bind_all(4).send_ahead();  // division by zero
    c.prepare(kCount).send_ahead();
    first_int(c, kCount);
    read_on = true;
    return true;
  });
  EXPECT_FALSE(read_on);
  ASSERT_FALSE(failed.ok());
  EXPECT_NE(failed.error().detail.find("22012"), std::string::npos) << failed.error().detail;

  // In a read too: BEGIN and both reads in one flight. One sent ahead and never read goes
  // with the unawaited COMMIT, and costs the next read nothing.
  const auto before_reads = db_->round_trips();
  EXPECT_EQ(db_->read([](Connection& c) {
    c.prepare(kCountFrom).bind_all(2).send_ahead();
    return first_int(c, kCount) * 10 + first_int(c, kCountFrom, 2);
  }),
            43);
  EXPECT_EQ(db_->round_trips() - before_reads, 1u);
  db_->read([](Connection& c) { c.prepare(kDivideByOthers).bind_all(4).send_ahead(); });
  EXPECT_EQ(db_->round_trips() - before_reads, 1u);
  EXPECT_EQ(count(), 4);
  EXPECT_EQ(db_->round_trips() - before_reads, 2u);
}

// The server ends the pooled connection's process between the pool's look at it and the
// read's first statement (a failover): the read runs again on a new connection.
TEST_F(PostgresRoundTrips, AReadWhoseConnectionTheServerDroppedRunsAgainOnANewOne) {
  ASSERT_TRUE(insert(1).ok());
  const auto pid = backend();
  int runs = 0;
  const auto seen = db_->read([&](Connection& c) {
    if (++runs == 1) terminate(pid);
    const auto backend_now = first_int(c, kBackend);
    return std::pair(backend_now, first_int(c, kCount));
  });
  EXPECT_EQ(runs, 2);
  EXPECT_NE(seen.first, pid);
  EXPECT_EQ(seen.second, 1);
  EXPECT_TRUE(insert(2).ok());
  EXPECT_EQ(count(), 2);
}

// The server vanishes without a word (killed with SIGKILL, or the network cut) as a
// read's first statement leaves, the previous read's COMMIT unanswered before it: the
// store is unavailable, not broken, and the read runs again on a new connection.
TEST_F(PostgresRoundTrips, AReadWhoseServerVanishedWithoutAWordRunsAgainOnANewOne) {
  ASSERT_TRUE(insert(1).ok());
  ASSERT_EQ(count(), 1);  // its COMMIT is sent and not awaited
  ASSERT_GE(pooled_socket_, 0);
  int runs = 0;
  const auto seen = db_->read([&](Connection& c) {
    if (++runs == 1) ::shutdown(pooled_socket_, SHUT_RDWR);
    return first_int(c, kCount);
  });
  EXPECT_EQ(runs, 2);
  EXPECT_EQ(seen, 1);
}

// The same as a write's first statement leaves: the job runs again on a new connection
// and commits once.
TEST_F(PostgresRoundTrips, AWriteWhoseServerVanishedWithoutAWordRunsAgainAndCommits) {
  ASSERT_EQ(count(), 0);  // its COMMIT is sent and not awaited
  int runs = 0;
  ASSERT_TRUE(db_->write<bool>([&](Connection& c) -> Result<bool> {
                   if (++runs == 1) ::shutdown(pooled_socket_, SHUT_RDWR);
                   c.prepare(kInsert).bind_all(7).run();
                   return true;
                 })
                  .ok());
  EXPECT_EQ(runs, 2);
  EXPECT_EQ(count(), 1);
}

// A write's first statement meeting a dropped connection runs the job again too (the
// pool's retry), and its COMMIT is awaited: once write() returns, a new connection sees it.
TEST_F(PostgresRoundTrips, AWriteWhoseConnectionTheServerDroppedRunsAgainAndCommits) {
  const auto pid = backend();
  int runs = 0;
  ASSERT_TRUE(db_->write<bool>([&](Connection& c) -> Result<bool> {
                   if (++runs == 1) terminate(pid);
                   c.prepare(kInsert).bind_all(7).run();
                   return true;
                 })
                  .ok());
  EXPECT_EQ(runs, 2);
  PostgresConnection other(*target_);
  EXPECT_EQ(first_int(other, kCount), 1);
}

}  // namespace
}  // namespace essc::store
