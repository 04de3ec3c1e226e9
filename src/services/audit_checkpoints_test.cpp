// The audit chain held against heads signed outside the database (R-S6).
#include "services/audit_checkpoints.hpp"

#include <gtest/gtest.h>

#include "store/audit_log.hpp"
#include "support/test_platform.hpp"

namespace essc::services {
namespace {

class AuditCheckpointsTest : public ::testing::Test {
 protected:
  void append(int count) {
    for (int i = 0; i < count; ++i) {
      (void)t_.ctx().db.write<bool>([&](store::Connection& c) -> Result<bool> {
        store::append_audit(c, t_.clock().now_ms(), "cli", "test.entry", std::to_string(i), "ok");
        return true;
      });
    }
  }
  void run_sql(const char* sql) {
    (void)t_.ctx().db.write<bool>([&](store::Connection& c) -> Result<bool> {
      c.exec(sql);
      return true;
    });
  }

  testing::TestPlatform t_;
  store::AuditCheckpointFile file_{t_.dir() / "audit-checkpoints.log"};
  AuditCheckpoints checkpoints_{t_.ctx(), file_};
};

TEST_F(AuditCheckpointsTest, R_S6_RemovingTheNewestEntriesIsFound) {
  append(5);
  ASSERT_TRUE(checkpoints_.verify().ok());
  EXPECT_EQ(file_.read_all()->size(), 1u);
  run_sql("DELETE FROM audit_log WHERE seq >= 4");
  const auto check = checkpoints_.verify();
  EXPECT_TRUE(check.chain.ok) << "what is left is a whole chain";
  ASSERT_TRUE(check.checkpoint_problem.has_value());
  EXPECT_NE(check.checkpoint_problem->find("removed"), std::string::npos);
  EXPECT_FALSE(checkpoints_.checkpoint()) << "a shorter chain is never signed";
  EXPECT_EQ(file_.read_all()->size(), 1u);
}

TEST_F(AuditCheckpointsTest, R_S6_ARecomputedChainDivergesFromTheSignedHead) {
  append(3);
  ASSERT_TRUE(checkpoints_.checkpoint());
  // Whoever can write the database can rewrite an entry and recompute every hash after it.
  run_sql("DELETE FROM audit_log");
  t_.clock().advance_ms(1);
  append(3);
  const auto check = AuditCheckpoints(t_.ctx(), file_).verify();
  EXPECT_TRUE(check.chain.ok);
  // SQLite hands out the same sequence numbers again ("differs"); PostgreSQL never does,
  // so there the signed entry is simply gone ("removed").
  ASSERT_TRUE(check.checkpoint_problem.has_value());
  EXPECT_TRUE(check.checkpoint_problem->find("differs") != std::string::npos ||
              check.checkpoint_problem->find("removed") != std::string::npos)
      << *check.checkpoint_problem;
}

TEST_F(AuditCheckpointsTest, R_S6_AHeadSignedByAnotherKeyIsRefused) {
  append(2);
  ASSERT_TRUE(checkpoints_.checkpoint());
  auto cp = file_.read_all()->back();
  cp.signature[0] = static_cast<char>(cp.signature[0] ^ 1);
  store::AuditCheckpointFile forged(t_.dir() / "forged.log");
  forged.append(cp);
  const auto check = AuditCheckpoints(t_.ctx(), forged).verify();
  ASSERT_TRUE(check.checkpoint_problem.has_value());
  EXPECT_NE(check.checkpoint_problem->find("signature"), std::string::npos);
}

TEST_F(AuditCheckpointsTest, R_S6_AGrowingChainGetsANewCheckpointOnlyWhenItMoved) {
  append(2);
  ASSERT_TRUE(checkpoints_.checkpoint());
  ASSERT_TRUE(checkpoints_.checkpoint());
  EXPECT_EQ(file_.read_all()->size(), 1u);
  append(1);
  ASSERT_TRUE(checkpoints_.checkpoint());
  ASSERT_EQ(file_.read_all()->size(), 2u);
  EXPECT_EQ(file_.read_all()->back().seq, 3);
  EXPECT_EQ(checkpoints_.verify().checkpoints, 2);
}

}  // namespace
}  // namespace essc::services
