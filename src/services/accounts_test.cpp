// Personal-account credits and benefits paid through the bank adapter (R-U6).
#include "services/accounts.hpp"

#include <gtest/gtest.h>

#include "domain/operator.hpp"
#include "services/registry.hpp"
#include "support/test_platform.hpp"

namespace essc::services {
namespace {

using domain::OperatorRole;

class AccountsTest : public ::testing::Test {
 protected:
  AccountsTest() {
    clerk_ = Actor::of_operator(t_.make_operator("clerk", domain::OperatorRole::kHrClerk));
    auto teller =
        Actor::of_operator(t_.make_operator("teller", domain::OperatorRole::kBankTeller, "NBCB"));
    id_ = testing::make_id_number("33020219850615432");
    auto& registry = t_.platform().registry;
    EXPECT_TRUE(
        registry.add_person(clerk_, {"王五", id_, "330200", std::nullopt, true, true}).ok());
    card_no_ = registry.issue_card(clerk_, id_, "NBCB")->card.card_no;
    EXPECT_TRUE(registry.apply(clerk_, card_no_, domain::CardAction::kCollect).ok());
    EXPECT_TRUE(registry.activate(clerk_, card_no_, "246810").ok());
    financial_ = [this, teller] {
      return t_.platform()
          .registry.activate_financial(teller, card_no_, {kAccount, "13900139000", "135790"})
          .ok();
    };
  }

  static constexpr char kAccount[] = "6222021234567890128";
  testing::TestPlatform t_;
  Actor clerk_;
  std::string id_, card_no_;
  std::function<bool()> financial_;
};

TEST_F(AccountsTest, R_U6_CreditsAddUpAndIdempotencyKeysAreHonoured) {
  auto& accounts = t_.platform().accounts;
  auto first =
      accounts.credit_medical(clerk_, {id_, 12345, "2026-11 个人账户划入", "inject-2026-11"});
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(first->balance_after_fen, 12345);
  auto repeat =
      accounts.credit_medical(clerk_, {id_, 12345, "2026-11 个人账户划入", "inject-2026-11"});
  ASSERT_TRUE(repeat.ok());
  EXPECT_EQ(repeat->movement_id, first->movement_id);
  EXPECT_EQ(repeat->balance_after_fen, 12345);
  EXPECT_EQ(accounts.credit_medical(clerk_, {id_, 99, "2026-11 个人账户划入", "inject-2026-11"})
                .error()
                .code,
            ErrorCode::kIdempotencyMismatch);
  auto second = accounts.credit_medical(clerk_, {id_, 100, "adjustment", std::nullopt});
  EXPECT_EQ(second->balance_after_fen, 12445);
}

TEST_F(AccountsTest, RejectsBadAmountsAndUnknownPersons) {
  auto& accounts = t_.platform().accounts;
  EXPECT_EQ(accounts.credit_medical(clerk_, {id_, 0, "m", std::nullopt}).error().code,
            ErrorCode::kInvalidAmount);
  EXPECT_EQ(accounts.credit_medical(clerk_, {id_, -5, "m", std::nullopt}).error().code,
            ErrorCode::kInvalidAmount);
  EXPECT_EQ(accounts.credit_medical(clerk_, {id_, 5, "", std::nullopt}).error().extras.field,
            "memo");
  const auto stranger = testing::make_id_number("33020219700101000");
  EXPECT_EQ(accounts.credit_medical(clerk_, {stranger, 5, "m", std::nullopt}).error().code,
            ErrorCode::kNotFound);
}

TEST_F(AccountsTest, R_U6_BenefitNeedsFinancialFunctionAndCreditsTheBankOnce) {
  auto& accounts = t_.platform().accounts;
  NewBenefit pension{id_, "pension", "2026-11", 350000};
  EXPECT_EQ(accounts.record_benefit(clerk_, pension).error().code,
            ErrorCode::kFinancialNotActivated);
  ASSERT_TRUE(financial_());
  auto paid = accounts.record_benefit(clerk_, pension);
  ASSERT_TRUE(paid.ok());
  EXPECT_TRUE(paid->created);
  EXPECT_EQ(t_.bank().balance_fen(kAccount), 350000);
  auto again = accounts.record_benefit(clerk_, pension);
  ASSERT_TRUE(again.ok());
  EXPECT_FALSE(again->created);
  EXPECT_EQ(again->benefit.benefit_id, paid->benefit.benefit_id);
  EXPECT_EQ(t_.bank().balance_fen(kAccount), 350000);
  NewBenefit different{id_, "pension", "2026-11", 1};
  EXPECT_EQ(accounts.record_benefit(clerk_, different).error().code, ErrorCode::kConflict);
  EXPECT_EQ(accounts.record_benefit(clerk_, {id_, "pension", "2026-13", 1}).error().extras.field,
            "period");
  EXPECT_EQ(accounts.record_benefit(clerk_, {id_, "bonus", "2026-11", 1}).error().extras.field,
            "kind");
}

}  // namespace
}  // namespace essc::services
