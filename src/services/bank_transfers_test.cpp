// What a crash between a bank call and the commit leaves owed (found by tests/crash with
// SIGKILL, R-U4, R-U5): start-up completes each owed credit exactly once.
#include "services/bank_transfers.hpp"

#include <gtest/gtest.h>

#include "common/limits.hpp"
#include "store/bank_transfer_repository.hpp"
#include "support/test_platform.hpp"

namespace essc::services {
namespace {

constexpr char kAccount[] = "6222021234567890128";

class BankTransfersTest : public ::testing::Test {
 protected:
  void owe(const std::string& reference, std::int64_t fen, std::optional<std::string> undoes) {
    ASSERT_TRUE(t_.ctx()
                    .db
                    .write<bool>([&](store::Connection& c) -> Result<bool> {
                      store::insert_due_bank_transfer(
                          c, t_.vault(), {reference, kAccount, fen, undoes, t_.clock().now_ms()});
                      return true;
                    })
                    .ok());
  }
  std::size_t owed() {
    return t_.ctx()
        .db.read([&](store::Connection& c) { return store::due_bank_transfers(c, t_.vault()); })
        .size();
  }
  BankTransfers& transfers() { return t_.platform().bank_transfers; }
  testing::TestPlatform t_;
};

TEST_F(BankTransfersTest, R_U5_StartUpGivesBackADebitWhoseRecordNeverCommitted) {
  t_.bank().fund(kAccount, 10000);
  // Killed after the debit, before the settlement committed.
  owe("reversal:st_a:1", 3000, "st_a:1");
  ASSERT_TRUE(t_.bank().debit(kAccount, 3000, "st_a:1").ok());
  // Killed after the row, before the bank was called.
  owe("reversal:st_b:1", 2000, "st_b:1");
  // Killed before a debit the account could not have paid anyway.
  owe("reversal:st_c:1", 99999, "st_c:1");

  EXPECT_EQ(transfers().complete_due(0), 3u);
  EXPECT_EQ(t_.bank().balance_fen(kAccount), 10000);
  EXPECT_EQ(owed(), 0u);
  EXPECT_EQ(transfers().complete_due(0), 0u);
  EXPECT_EQ(t_.bank().balance_fen(kAccount), 10000);
}

// On a shared store another server's settlement owes its reversal from its first write
// until its record commits: a sweep meanwhile would give back a debit the settlement is
// about to keep.
TEST_F(BankTransfersTest, R_U5_TheSweepLeavesWhatAServerInFlightStillOwes) {
  t_.bank().fund(kAccount, 10000);
  owe("reversal:st_e:1", 3000, "st_e:1");
  ASSERT_TRUE(t_.bank().debit(kAccount, 3000, "st_e:1").ok());
  const auto grace = owed_transfer_grace_ms(5000);
  EXPECT_GT(grace, 5000 + limits::kUnknownOutcomeResolveMs)
      << "the bank call and the read-back fit in it";
  t_.clock().advance_ms(grace - 1);
  EXPECT_EQ(transfers().complete_due(grace), 0u);
  EXPECT_EQ(t_.bank().balance_fen(kAccount), 7000);
  t_.clock().advance_ms(1);
  EXPECT_EQ(transfers().complete_due(grace), 1u);
  EXPECT_EQ(t_.bank().balance_fen(kAccount), 10000)
      << "past the grace, nobody is still settling it";
}

TEST_F(BankTransfersTest, R_U4_StartUpPaysARefundTheBankNeverConfirmedOnce) {
  t_.bank().fund(kAccount, 10000);
  owe("refund:st_d", 1500, std::nullopt);
  EXPECT_EQ(transfers().complete_due(0), 1u);
  EXPECT_EQ(t_.bank().balance_fen(kAccount), 11500);
  // The bank applies a reference once, so even a row left behind pays nothing twice.
  owe("refund:st_d", 1500, std::nullopt);
  EXPECT_EQ(transfers().complete_due(0), 1u);
  EXPECT_EQ(t_.bank().balance_fen(kAccount), 11500);
}

TEST_F(BankTransfersTest, R_U5_ADebitRecordedOrReversedLeavesNothingOwed) {
  t_.bank().fund(kAccount, 10000);
  ASSERT_TRUE(transfers().debit_owing_reversal(kAccount, 4000, "ct_a:1").ok());
  EXPECT_EQ(owed(), 1u) << "owed back until recorded";
  ASSERT_TRUE(t_.ctx()
                  .db
                  .write<bool>([&](store::Connection& c) -> Result<bool> {
                    debit_recorded(c, "ct_a:1");
                    return true;
                  })
                  .ok());
  EXPECT_EQ(owed(), 0u);
  ASSERT_TRUE(transfers().debit_owing_reversal(kAccount, 1000, "ct_b:1").ok());
  transfers().reverse_debit(kAccount, 1000, "ct_b:1");
  EXPECT_EQ(owed(), 0u);
  EXPECT_EQ(t_.bank().balance_fen(kAccount), 6000);
  EXPECT_EQ(transfers().debit_owing_reversal(kAccount, 60000, "ct_c:1").error().code,
            ErrorCode::kInsufficientFunds);
  EXPECT_EQ(owed(), 0u) << "a refused debit moved nothing and owes nothing";
}

}  // namespace
}  // namespace essc::services
