// R-S6: recording a refusal never waits for the store. That refusals are written a minute
// at a time is ClientsTest.R_S6_RefusalFloodsGrowTheAuditLogAtAFixedRate.
#include "services/refusal_log.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <future>
#include <thread>

#include "common/clock.hpp"
#include "common/limits.hpp"
#include "store/database.hpp"
#include "support/held_writer.hpp"
#include "support/test_platform.hpp"

namespace essc::services {
namespace {

std::size_t refusal_entries(testing::TestPlatform& t) {
  t.sequence_audit();
  const auto entries = t.audit_entries();
  return static_cast<std::size_t>(std::count_if(entries.begin(), entries.end(), [](const auto& e) {
    return e.action == "client.authenticate";
  }));
}

// A flush waits for its write; the caller of record() that sees a new minute meanwhile may
// be a fiber of the very thread the flushing fiber must resume on. It leaves the minute
// to the next flush instead of waiting.
TEST(RefusalLog, R_S6_ARefusalRecordedWhileAFlushWaitsForTheStoreDoesNotWaitForIt) {
  testing::TestPlatform t;
  if (t.postgres_schema()) GTEST_SKIP() << "holding the store busy needs SQLite's one writer";
  RefusalLog log(t.ctx().clock, t.ctx().db);
  auto& db = t.ctx().db;
  testing::HeldWriter writer(db);
  log.record(RefusalSource::kClient, "", ErrorCode::kUnauthenticated);
  t.clock().advance_ms(limits::kRefusalAuditMinuteMs);
  std::thread flusher([&] { log.flush(); });
  while (db.writes_waiting() == 0) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  log.record(RefusalSource::kClient, "", ErrorCode::kUnauthenticated);
  t.clock().advance_ms(limits::kRefusalAuditMinuteMs);
  auto recorded = std::async(
      std::launch::async, [&] { log.record(RefusalSource::kClient, "", ErrorCode::kNonceReused); });
  const bool returned = recorded.wait_for(std::chrono::seconds(10)) == std::future_status::ready;
  writer.release();
  flusher.join();
  recorded.wait();
  EXPECT_TRUE(returned) << "record() waited for the flush's write";
  EXPECT_EQ(refusal_entries(t), 1u);  // the first minute; the others wait for a flush
  log.stop();
  EXPECT_EQ(refusal_entries(t), 3u);
}

}  // namespace
}  // namespace essc::services
