// What the medical account functions promise, on both engines (R-U6): a balance that is
// the sum of its movements, each movement read back by its reference, one movement per
// reference, no negative balance (nor a debit of an account never credited), and one
// benefit per person, kind and period.
#include "store/account_repository.hpp"

#include <gtest/gtest.h>

#include "support/store_rows.hpp"

namespace essc::store {
namespace {

using testing::read_rows;
using testing::write_rows;

class AccountRepositoryTest : public ::testing::Test {
 protected:
  Result<domain::AccountMovement> move(std::int64_t amount_fen, std::string reference) {
    return t_.ctx().db.write<domain::AccountMovement>(
        [&](Connection& c) -> Result<domain::AccountMovement> {
          return apply_medical_movement(c, holder_.person_id, amount_fen > 0 ? "credit" : "debit",
                                        amount_fen, "memo " + reference, reference,
                                        testing::kTestEpochMs + amount_fen);
        });
  }
  std::int64_t balance() {
    return read_rows(t_.ctx().db,
                     [&](Connection& c) { return medical_balance_fen(c, holder_.person_id); });
  }

  testing::TestPlatform t_;
  domain::Person holder_ = testing::stored_person(t_, 1);
};

TEST_F(AccountRepositoryTest, R_U6_TheBalanceIsTheSumOfItsMovements) {
  EXPECT_EQ(balance(), 0) << "no account yet";
  const auto credit = move(10'000, "ref-credit");
  ASSERT_TRUE(credit.ok());
  EXPECT_EQ(credit->amount_fen, 10'000);
  EXPECT_EQ(credit->balance_after_fen, 10'000);
  const auto debit = move(-2'550, "ref-debit");
  ASSERT_TRUE(debit.ok());
  EXPECT_EQ(debit->balance_after_fen, 7'450);
  EXPECT_GT(debit->movement_id, credit->movement_id);
  EXPECT_EQ(balance(), 7'450);

  const auto found = read_rows(
      t_.ctx().db, [&](Connection& c) { return find_movement_by_reference(c, "ref-debit"); });
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(found->movement_id, debit->movement_id);
  EXPECT_EQ(found->kind, "debit");
  EXPECT_EQ(found->amount_fen, -2'550);
  EXPECT_EQ(found->balance_after_fen, 7'450);
  EXPECT_EQ(found->memo, "memo ref-debit");
  EXPECT_EQ(found->at_ms, testing::kTestEpochMs - 2'550);
  EXPECT_FALSE(read_rows(t_.ctx().db, [&](Connection& c) {
                 return find_movement_by_reference(c, "ref-none");
               }).has_value());
}

TEST_F(AccountRepositoryTest, R_U6_AReferenceMovesMoneyOnceAndNoBalanceGoesNegative) {
  ASSERT_TRUE(move(1'000, "ref-once").ok());
  const auto again = move(1'000, "ref-once");
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().code, ErrorCode::kConflict);
  const auto overdraft = move(-1'001, "ref-overdraft");
  ASSERT_FALSE(overdraft.ok()) << "the CHECK constraint stops a caller's bug";
  EXPECT_EQ(balance(), 1'000);
}

TEST_F(AccountRepositoryTest, R_U6_ADebitOfAnAccountNeverCreditedRecordsNoMovement) {
  ASSERT_FALSE(move(-1, "ref-uncredited").ok()) << "callers check the balance first";
  EXPECT_FALSE(read_rows(t_.ctx().db, [&](Connection& c) {
                 return find_movement_by_reference(c, "ref-uncredited");
               }).has_value());
  EXPECT_EQ(balance(), 0);
}

TEST_F(AccountRepositoryTest, R_U6_ABenefitRoundTripsOncePerKindAndPeriod) {
  const domain::Benefit benefit{"bn_1",    holder_.person_id, "A00000001",          "pension",
                                "2026-11", 320'000,           testing::kTestEpochMs};
  ASSERT_TRUE(write_rows(t_.ctx().db, [&](Connection& c) { insert_benefit(c, benefit); }).ok());
  const auto find = [&](std::string_view kind, std::string_view period) {
    return read_rows(t_.ctx().db, [&](Connection& c) {
      return find_benefit(c, holder_.person_id, kind, period);
    });
  };
  const auto got = find("pension", "2026-11");
  ASSERT_TRUE(got.has_value());
  EXPECT_EQ(got->benefit_id, benefit.benefit_id);
  EXPECT_EQ(got->person_id, benefit.person_id);
  EXPECT_EQ(got->card_no, benefit.card_no);
  EXPECT_EQ(got->kind, benefit.kind);
  EXPECT_EQ(got->period, benefit.period);
  EXPECT_EQ(got->amount_fen, benefit.amount_fen);
  EXPECT_EQ(got->at_ms, benefit.at_ms);
  EXPECT_FALSE(find("pension", "2026-12").has_value());
  EXPECT_FALSE(find("unemployment", "2026-11").has_value());

  auto same_period = benefit;
  same_period.benefit_id = "bn_2";
  const auto status =
      write_rows(t_.ctx().db, [&](Connection& c) { insert_benefit(c, same_period); });
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().code, ErrorCode::kConflict);
}

}  // namespace
}  // namespace essc::store
