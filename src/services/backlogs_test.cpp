// The store's backlogs as /metrics shows them (R-S6, R-S7, R-L6, R-U5): what the
// operators' alerts (deploy/prometheus/essc-rules.yml) fire on.
#include "services/backlogs.hpp"

#include <gtest/gtest.h>

#include "store/audit_checkpoints.hpp"
#include "store/audit_log.hpp"
#include "store/bank_transfer_repository.hpp"
#include "store/notification_repository.hpp"
#include "support/test_platform.hpp"

namespace essc::services {
namespace {

constexpr std::int64_t kGraceMs = 60'000;
const Witness kWitness{"http://127.0.0.1:1", "witness.example/w1+01234567+AQ=="};

class BacklogsTest : public ::testing::Test {
 protected:
  void write(const std::function<void(store::Connection&)>& change) {
    ASSERT_TRUE(t_.ctx()
                    .db
                    .write<bool>([&](store::Connection& c) -> Result<bool> {
                      change(c);
                      return true;
                    })
                    .ok());
  }
  void webhook(const std::string& event_id, const std::string& client_id) {
    write([&](store::Connection& c) {
      store::OutboxRecord record;
      record.event_id = event_id;
      record.kind = "webhook";
      record.client_id = client_id;
      record.payload = "{}";
      record.next_attempt_at_ms = record.created_at_ms = t_.clock().now_ms();
      store::insert_outbox_event(c, t_.vault(), record);
    });
  }
  std::string metrics() {
    t_.platform().backlogs.refresh(kGraceMs, {kWitness});
    return t_.platform().backlogs.render();
  }
  testing::TestPlatform t_;
};

TEST_F(BacklogsTest, R_L6_UndeliveredMessagesAreCountedPerChannelWithTheirAge) {
  webhook("ev_1", "ch_gov");
  t_.clock().advance_ms(30'000);
  webhook("ev_2", "ch_gov");
  webhook("ev_3", "ch_bank");
  t_.clock().advance_ms(15'000);
  const auto text = metrics();
  EXPECT_NE(text.find("essc_outbox_undelivered{channel=\"ch_gov\"} 2\n"), std::string::npos)
      << text;
  EXPECT_NE(text.find("essc_outbox_undelivered{channel=\"ch_bank\"} 1\n"), std::string::npos);
  EXPECT_NE(text.find("essc_outbox_oldest_undelivered_seconds{channel=\"ch_gov\"} 45.000\n"),
            std::string::npos);
  write([&](store::Connection& c) {
    store::mark_outbox_event_delivered(c, "ev_3", 1, t_.clock().now_ms());
  });
  EXPECT_EQ(metrics().find("channel=\"ch_bank\""), std::string::npos);
}

TEST_F(BacklogsTest, R_U5_OwedBankMovementsCountOnlyPastTheGraceOfARequestInFlight) {
  write([&](store::Connection& c) {
    store::insert_due_bank_transfer(
        c, t_.vault(), {"refund:st_a", "6222021234567890128", 500, {}, t_.clock().now_ms()});
  });
  EXPECT_NE(metrics().find("essc_bank_transfers_overdue 0\n"), std::string::npos);
  t_.clock().advance_ms(kGraceMs + 1);
  EXPECT_NE(metrics().find("essc_bank_transfers_overdue 1\n"), std::string::npos);
}

TEST_F(BacklogsTest, R_S7_AWitnessIsBehindByWhatItHasNotCosigned) {
  write([&](store::Connection& c) {
    for (int i = 0; i < 3; ++i)
      store::append_audit(c, t_.clock().now_ms(), "test", "audit.append", "x", "ok");
  });
  (void)t_.audit_entries();  // sequenced and signed: a checkpoint of the whole log
  const auto size = t_.ctx().db.read(
      [](store::Connection& c) { return store::latest_audit_checkpoint(c)->size; });
  auto text = metrics();
  EXPECT_NE(text.find("essc_audit_witness_behind_entries{witness=\"witness.example/w1\"} " +
                      std::to_string(size) + "\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("essc_audit_pending_entries 0\n"), std::string::npos);
  write([&](store::Connection& c) {
    store::add_audit_cosignature(c, size, kWitness.vkey, "line", t_.clock().now_ms());
  });
  text = metrics();
  EXPECT_NE(text.find("essc_audit_witness_behind_entries{witness=\"witness.example/w1\"} 0\n"),
            std::string::npos)
      << text;
}

}  // namespace
}  // namespace essc::services
