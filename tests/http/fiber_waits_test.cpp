// A handler's fiber that waits on PostgreSQL, for a pooled connection
// (store/postgres_pool.hpp) or for a slow answer, waits suspended (common/wait.hpp): its
// worker's thread stays free for the other fibers on it, among them perhaps the one
// holding what it waits for (the connection, a row's lock), which may itself be
// suspended (waiting for an Argon2id slot, say). Each test runs its calls on one worker;
// a thread blocked in the wait would leave the holder unresumed until the waiter gave
// up. PostgreSQL only.
#include <gtest/gtest.h>

#include <atomic>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>
#include <chrono>
#include <cstdlib>
#include <future>
#include <optional>
#include <string>
#include <thread>

#include "common/error.hpp"
#include "common/wait.hpp"
#include "common/waiting_slots.hpp"
#include "http/server/worker_pool.hpp"
#include "store/postgres.hpp"
#include "store/postgres_database.hpp"
#include "store/postgres_pool.hpp"
#include "support/store_rows.hpp"
#include "support/test_platform.hpp"

namespace essc::testing {
namespace {

namespace asio = boost::asio;
using std::chrono::milliseconds;

constexpr char kOne[] = "SELECT 1";

class FiberWaits : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!t_.postgres_schema()) GTEST_SKIP() << "PostgreSQL's waits";
    target_ = store::PostgresTarget{std::getenv("ESSC_TEST_STORE_URL"), std::nullopt,
                                    t_.postgres_schema()};
    io_thread_ = std::thread([this] { io_.run(); });
  }
  void TearDown() override {
    work_.reset();
    if (io_thread_.joinable()) io_thread_.join();
  }

  // Runs `body` on the one worker; the future has its outcome.
  std::future<http::Response> on_the_worker(std::function<void()> body) {
    auto call = workers_.run([body = std::move(body)] {
      body();
      return http::Response{};
    });
    return asio::co_spawn(io_, std::move(call), asio::use_future);
  }

  TestPlatform t_;
  std::optional<store::PostgresTarget> target_;
  asio::io_context io_;
  std::optional<asio::executor_work_guard<asio::io_context::executor_type>> work_{
      io_.get_executor()};
  std::thread io_thread_;
  http::WorkerPool workers_{1, [] {}};
};

TEST_F(FiberWaits, AFiberWaitingForAConnectionLeavesItsWorkerToTheOneHoldingIt) {
  store::PostgresDatabase db(*target_, 1, t_.clock());
  WaitingSlots slot(0);
  std::atomic<bool> holding_and_waiting{false};
  auto holder = on_the_worker([&] {
    db.read([&](store::Connection& c) {
      first_int(c, kOne);
      holding_and_waiting = true;
      slot.acquire();  // suspended, the pool's one connection held
    });
  });
  while (!holding_and_waiting) std::this_thread::sleep_for(milliseconds(5));
  std::optional<std::string> failure;
  std::int64_t got = 0;
  auto queued = on_the_worker([&] {
    try {
      got = db.read([](store::Connection& c) { return first_int(c, kOne); });
    } catch (const store::StoreError& e) {
      failure = e.what();
    }
  });
  std::this_thread::sleep_for(milliseconds(200));  // queued for the connection
  // The holder may go on now, on the worker the queued read waits on.
  slot.release();
  holder.get();
  queued.get();
  EXPECT_FALSE(failure) << *failure;
  EXPECT_EQ(got, 1);
}

// A statement waiting for a row lock gives its worker up after a moment (common/wait.hpp
// wait_readable): the transaction holding the lock may be another fiber's on the same
// worker, suspended before its COMMIT, which must run for the lock to go. A thread
// blocked in libpq's own wait would never let it; the waiter's lock_timeout ends that
// deadlock as a failure.
TEST_F(FiberWaits, AStatementWaitingForARowLockLeavesItsWorkerToTheLocksHolder) {
  store::PostgresDatabase db(*target_, 2, t_.clock());
  ASSERT_TRUE(write_rows(db, [](store::Connection& c) {
    c.exec("CREATE TABLE fiber_lock (id INTEGER PRIMARY KEY, n INTEGER NOT NULL)");
    c.exec("INSERT INTO fiber_lock VALUES (1, 0)");
  }));
  std::atomic<bool> holding{false};
  const auto add_one = [&](std::int64_t hold_ms) {
    return db.write_row_locked<bool>([&](store::Connection& c) -> Result<bool> {
      c.exec("SET LOCAL lock_timeout = '3s'");
      c.exec("UPDATE fiber_lock SET n = n + 1 WHERE id = 1");
      if (hold_ms > 0) {
        holding = true;
        sleep_for(milliseconds(hold_ms));  // suspended, the row locked
      }
      return true;
    });
  };
  std::optional<std::string> failure;
  const auto record = [&](const Result<bool>& outcome) {
    if (!outcome) failure = error_code_name(outcome.error().code);
  };
  auto holder = on_the_worker([&] { record(add_one(300)); });
  while (!holding) std::this_thread::sleep_for(milliseconds(5));
  auto waiter = on_the_worker([&] {
    try {
      record(add_one(0));
    } catch (const store::StoreError& e) {
      failure = e.what();
    }
  });
  holder.get();
  waiter.get();
  EXPECT_FALSE(failure) << *failure;
  EXPECT_EQ(read_rows(db,
                      [](store::Connection& c) {
                        return first_int(c, "SELECT n FROM fiber_lock WHERE id = 1");
                      }),
            2);
}

// The deadline's side of the same wait: resumed by the worker's timer, the waiter leaves
// the queue, and the connection it did not get goes back to the pool for the next lease.
TEST_F(FiberWaits, AFiberWaitingForAConnectionGivesUpAtItsDeadline) {
  store::PostgresPool pool(*target_, 1);
  std::optional<store::PostgresPool::Lease> held(std::in_place, pool);
  std::optional<std::string> failure;
  auto queued = on_the_worker([&] {
    try {
      store::PostgresPool::Lease lease(pool, 100);
    } catch (const store::StoreError& e) {
      failure = e.what();
    }
  });
  queued.get();
  ASSERT_TRUE(failure);
  EXPECT_EQ(*failure, "no store connection free");
  held.reset();
  auto next = on_the_worker([&] { store::PostgresPool::Lease lease(pool, 0); });
  EXPECT_NO_THROW(next.get());
}

}  // namespace
}  // namespace essc::testing
