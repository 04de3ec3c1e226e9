// The outbox as several servers share it (R-L6): each due event is taken by one server
// at a time, and comes back to the others only when that server's lease runs out.
#include "store/notification_repository.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

#include "common/limits.hpp"
#include "support/test_platform.hpp"

namespace essc::store {
namespace {

TEST(Outbox, R_L6_EachDueEventIsTakenByOneServerAtATime) {
  testing::TestPlatform t;
  auto second = t.open_database();  // another server on the same store
  const auto now = t.clock().now_ms();
  ASSERT_TRUE(t.ctx()
                  .db
                  .write<bool>([&](Connection& c) -> Result<bool> {
                    for (int i = 0; i < 20; ++i) {
                      insert_outbox_event(
                          c, t.vault(),
                          {"ev-" + std::to_string(i), "webhook", std::nullopt, std::nullopt, "{}",
                           0, now, std::nullopt, false, std::nullopt, now});
                    }
                    return true;
                  })
                  .ok());
  std::atomic<int> taken{0};
  std::vector<std::thread> servers;
  for (Database* db : {&t.ctx().db, second.get(), &t.ctx().db, second.get()}) {
    servers.emplace_back([&, db] {
      auto claimed = db->write<std::vector<OutboxRecord>>(
          [&](Connection& c) -> Result<std::vector<OutboxRecord>> {
            return claim_due_outbox_events(c, t.vault(), now, limits::kOutboxLeaseMs, 8);
          });
      if (claimed) taken += static_cast<int>(claimed->size());
    });
  }
  for (auto& server : servers) server.join();
  EXPECT_EQ(taken.load(), 20) << "every event once, none twice";
  const auto claim_at = [&](std::int64_t at_ms) {
    return t.ctx()
        .db
        .write<std::vector<OutboxRecord>>([&](Connection& c) -> Result<std::vector<OutboxRecord>> {
          return claim_due_outbox_events(c, t.vault(), at_ms, limits::kOutboxLeaseMs, 100);
        })
        ->size();
  };
  EXPECT_EQ(claim_at(now + limits::kOutboxLeaseMs - 1), 0u);
  EXPECT_EQ(claim_at(now + limits::kOutboxLeaseMs), 20u) << "a dead server's lease runs out";
}

// A channel is a lane across servers: while one server holds any of its events, another
// takes none of that channel's, but every other channel's.
TEST(Outbox, R_L6_AChannelsEventsGoToOneServerAtATime) {
  testing::TestPlatform t;
  auto second = t.open_database();
  const auto now = t.clock().now_ms();
  ASSERT_TRUE(t.ctx()
                  .db
                  .write<bool>([&](Connection& c) -> Result<bool> {
                    for (const auto* id : {"ev-a1", "ev-a2", "ev-b1"}) {
                      const std::string channel =
                          std::string(id).substr(0, 4) == "ev-a" ? "ch_a" : "ch_b";
                      insert_outbox_event(c, t.vault(),
                                          {id, "webhook", channel, std::nullopt, "{}", 0, now,
                                           std::nullopt, false, std::nullopt, now + (id[4] - '0')});
                    }
                    return true;
                  })
                  .ok());
  const auto claim = [&](Database& db, std::int64_t limit) {
    std::vector<std::string> ids;
    auto claimed = db.write<std::vector<OutboxRecord>>(
        [&](Connection& c) -> Result<std::vector<OutboxRecord>> {
          return claim_due_outbox_events(c, t.vault(), now, limits::kOutboxLeaseMs, limit);
        });
    for (const auto& e : claimed.value()) ids.push_back(e.event_id);
    return ids;
  };
  EXPECT_EQ(claim(t.ctx().db, 1), std::vector<std::string>{"ev-a1"});
  EXPECT_EQ(claim(*second, 10), std::vector<std::string>{"ev-b1"})
      << "channel a is held by the first server";
  ASSERT_TRUE(t.ctx()
                  .db
                  .write<bool>([&](Connection& c) -> Result<bool> {
                    mark_outbox_event_delivered(c, "ev-a1", 1, now);
                    return true;
                  })
                  .ok());
  EXPECT_EQ(claim(*second, 10), std::vector<std::string>{"ev-a2"})
      << "the lane is free once its event is done";
}

}  // namespace
}  // namespace essc::store
