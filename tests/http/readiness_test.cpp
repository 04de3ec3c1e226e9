// GET /readyz as a balancer sees it (API.md "Service"): ready while the store takes
// writes; on PostgreSQL a quick, cached answer even when the pool is busy, and a pool
// that lost its connections (a failover, a restart) replaces them by itself.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <chrono>
#include <cstdlib>
#include <thread>
#include <vector>

#include "common/limits.hpp"
#include "domain/operator.hpp"
#include "store/postgres.hpp"
#include "support/test_server.hpp"

namespace essc::testing {
namespace {

using Clock = std::chrono::steady_clock;

std::int64_t backend_pid(store::Database& db) {
  return db.read([](store::Connection& c) {
    static constexpr char kPid[] = "SELECT pg_backend_pid()";
    return c.prepare(kPid).first([](const store::Statement& s) { return s.int64(0); }).value_or(0);
  });
}

TEST(ReadinessTest, ReadyWhileTheStoreTakesWritesWithItsSchemaVersion) {
  TestServer server;
  const auto ready = server.call("GET", "/readyz");
  ASSERT_EQ(ready.status, 200) << ready.body;
  EXPECT_EQ(ready.json().at("status").as_string(), "ready");
  EXPECT_GT(ready.json().at("schema_version").as_int64(), 0);
}

// A balancer must learn within its check interval that this process cannot get at the
// primary; before, /readyz queued for a pooled connection for the full pool wait (5 s).
TEST(ReadinessTest, NotReadyAnswersFastWith503AndRetryAfterWhenNoConnectionIsFree) {
  TestServer server;
  if (!server.platform().postgres_schema()) GTEST_SKIP() << "the PostgreSQL store's probe";
  auto& db = server.platform().ctx().db;
  std::vector<std::thread> holders;
  for (int i = 0; i < 4; ++i) {  // the test platform's pool size
    holders.emplace_back(
        [&db] { db.read([](store::Connection& c) { c.exec("SELECT pg_sleep(2)"); }); });
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  const auto started = Clock::now();
  const auto answer = server.call("GET", "/readyz");
  const auto took = Clock::now() - started;
  EXPECT_EQ(answer.status, 503) << answer.body;
  EXPECT_EQ(answer.error_code(), "UNAVAILABLE");
  EXPECT_EQ(answer.json().at("error").as_object().at("retry_after").as_int64(), 1);
  EXPECT_FALSE(answer.json().at("error").as_object().at("message_en").as_string().empty());
  EXPECT_LT(took, std::chrono::milliseconds(limits::kReadyProbeTimeoutMs + 700));
  for (auto& t : holders) t.join();
  std::this_thread::sleep_for(std::chrono::milliseconds(limits::kReadyProbeCacheMs + 100));
  EXPECT_EQ(server.call("GET", "/readyz").status, 200);
}

// After a failover every pooled connection is dead. The next reads and writes must open
// new ones instead of failing with 500 on the dead ones.
TEST(ReadinessTest, PooledConnectionsTheServerKilledAreReplacedWithoutErrors) {
  TestServer server;
  if (!server.platform().postgres_schema()) GTEST_SKIP() << "the PostgreSQL store's pool";
  auto& db = server.platform().ctx().db;
  const auto before = backend_pid(db);
  ASSERT_GT(before, 0);
  store::PostgresConnection admin(
      store::PostgresTarget{std::getenv("ESSC_TEST_STORE_URL"), std::nullopt, std::nullopt});
  admin.exec("SELECT pg_terminate_backend(" + std::to_string(before) + ")");
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  // A read first: it takes the pooled connection the server just closed.
  const auto after = backend_pid(db);
  EXPECT_GT(after, 0);
  EXPECT_NE(after, before);
  const auto token = server.login_as(domain::OperatorRole::kAdmin);  // reads and writes over HTTP
  EXPECT_FALSE(token.empty());
  std::this_thread::sleep_for(std::chrono::milliseconds(limits::kReadyProbeCacheMs + 100));
  EXPECT_EQ(server.call("GET", "/readyz").status, 200);
}

}  // namespace
}  // namespace essc::testing
