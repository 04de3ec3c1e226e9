// What the owed bank transfers promise, on both engines (R-U4, R-U5): every field back as
// stored, oldest first, the account number sealed (R-S5), a row gone once deleted, one
// row per reference, and a row sealed under another key left out rather than misread.
#include "store/bank_transfer_repository.hpp"

#include <gtest/gtest.h>

#include "crypto/pii_vault.hpp"
#include "crypto/random.hpp"
#include "support/store_rows.hpp"

namespace essc::store {
namespace {

using testing::read_rows;
using testing::write_rows;

class BankTransferRepositoryTest : public ::testing::Test {
 protected:
  Status insert(const DueBankTransfer& t, const crypto::PiiVault& vault) {
    return write_rows(t_.ctx().db, [&](Connection& c) { insert_due_bank_transfer(c, vault, t); });
  }
  std::vector<DueBankTransfer> due() {
    return read_rows(t_.ctx().db, [&](Connection& c) { return due_bank_transfers(c, t_.vault()); });
  }

  testing::TestPlatform t_;
  DueBankTransfer refund_{"refund-1", "6222021234567890128", 5'000, std::nullopt,
                          testing::kTestEpochMs + 2};
  DueBankTransfer reversal_{"reversal-1", "6222021234567890136", 1'250, "debit-1",
                            testing::kTestEpochMs + 1};
};

TEST_F(BankTransferRepositoryTest, R_U4_EveryFieldRoundTripsOldestFirst) {
  ASSERT_TRUE(insert(refund_, t_.vault()).ok());
  ASSERT_TRUE(insert(reversal_, t_.vault()).ok());
  const auto rows = due();
  ASSERT_EQ(rows.size(), 2u);
  for (std::size_t i = 0; i < 2; ++i) {
    const auto& want = i == 0 ? reversal_ : refund_;
    EXPECT_EQ(rows[i].reference, want.reference);
    EXPECT_EQ(rows[i].account_no, want.account_no);
    EXPECT_EQ(rows[i].amount_fen, want.amount_fen);
    EXPECT_EQ(rows[i].undoes, want.undoes);
    EXPECT_EQ(rows[i].created_at_ms, want.created_at_ms);
  }
}

TEST_F(BankTransferRepositoryTest, R_U5_ADeletedTransferIsNoLongerDueAndAReferenceIsOwedOnce) {
  ASSERT_TRUE(insert(refund_, t_.vault()).ok());
  const auto again = insert(refund_, t_.vault());
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().code, ErrorCode::kConflict);
  ASSERT_TRUE(write_rows(t_.ctx().db, [&](Connection& c) {
                delete_due_bank_transfer(c, "reversal-none");
              }).ok());
  EXPECT_EQ(due().size(), 1u);
  ASSERT_TRUE(write_rows(t_.ctx().db, [&](Connection& c) {
                delete_due_bank_transfer(c, refund_.reference);
              }).ok());
  EXPECT_TRUE(due().empty());
}

TEST_F(BankTransferRepositoryTest, R_S5_TheAccountIsSealedAndAnotherKeysRowIsLeftOut) {
  const crypto::PiiVault other_key(crypto::random_bytes(crypto::kPiiKeyBytes),
                                   crypto::random_bytes(crypto::kPiiKeyBytes));
  ASSERT_TRUE(insert(refund_, t_.vault()).ok());
  ASSERT_TRUE(insert(reversal_, other_key).ok());
  const auto rows = due();
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].reference, refund_.reference);
  const auto bytes = t_.store_dump();
  EXPECT_EQ(bytes.find(refund_.account_no), std::string::npos);
  EXPECT_EQ(bytes.find(reversal_.account_no), std::string::npos);
}

}  // namespace
}  // namespace essc::store
