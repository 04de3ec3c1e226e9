// Service tests of the registry on a real SQLite file (R-P1, R-P2, R-C1, R-C2, R-C3,
// R-S5, R-S6).
#include "services/registry.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <iterator>

#include "domain/operator.hpp"
#include "store/audit_log.hpp"
#include "support/test_platform.hpp"

namespace essc::services {
namespace {

using domain::CardAction;
using domain::CardStatus;
using domain::OperatorRole;
using testing::make_id_number;

class RegistryTest : public ::testing::Test {
 protected:
  RegistryTest() {
    clerk_ = Actor::of_operator(t_.make_operator("clerk", domain::OperatorRole::kHrClerk));
    teller_ =
        Actor::of_operator(t_.make_operator("teller", domain::OperatorRole::kBankTeller, "NBCB"));
    other_teller_ =
        Actor::of_operator(t_.make_operator("other", domain::OperatorRole::kBankTeller, "ICBC"));
  }

  RegistryService& registry() { return t_.platform().registry; }

  std::string add_person(const std::string& first17 = "33020219900307123") {
    const auto id = make_id_number(first17);
    NewPerson p{"张三", id, "330200", "13800138000", true, true};
    auto person = registry().add_person(clerk_, p);
    EXPECT_TRUE(person.ok());
    return id;
  }

  std::string active_card(const std::string& id) {
    auto card = registry().issue_card(clerk_, id, "NBCB");
    EXPECT_TRUE(card.ok());
    const auto no = card->card.card_no;
    EXPECT_TRUE(registry().apply(clerk_, no, CardAction::kCollect).ok());
    EXPECT_TRUE(registry().activate(clerk_, no, "246810").ok());
    return no;
  }

  testing::TestPlatform t_;
  Actor clerk_, teller_, other_teller_;
};

TEST_F(RegistryTest, R_P1_RejectsInvalidIdNumberAndDuplicates) {
  NewPerson bad{"张三", "330202199003071230", "330200", std::nullopt, false, false};
  auto refused = registry().add_person(clerk_, bad);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, ErrorCode::kInvalidIdNumber);

  const auto id = add_person();
  NewPerson again{"李四", id, "330200", std::nullopt, false, false};
  auto duplicate = registry().add_person(clerk_, again);
  ASSERT_FALSE(duplicate.ok());
  EXPECT_EQ(duplicate.error().code, ErrorCode::kConflict);
}

TEST_F(RegistryTest, R_P2_PersonKeepsRegionPhoneAndPhotos) {
  const auto id = add_person();
  auto view = registry().person(Actor::command_line(), id);
  ASSERT_TRUE(view.ok());
  EXPECT_EQ(view->person.name, "张三");
  EXPECT_EQ(view->person.region_code, "330200");
  EXPECT_EQ(view->person.phone, "13800138000");
  EXPECT_TRUE(view->person.photo_police);
  EXPECT_FALSE(view->card.has_value());
}

TEST_F(RegistryTest, R_C1_FullLifeCycleAndForbiddenTransitions) {
  const auto id = add_person();
  auto issued = registry().issue_card(clerk_, id, "NBCB");
  ASSERT_TRUE(issued.ok());
  const auto no = issued->card.card_no;
  EXPECT_EQ(issued->card.status, CardStatus::kPendingPickup);
  EXPECT_EQ(registry().apply(clerk_, no, CardAction::kReportLoss).error().code,
            ErrorCode::kInvalidStateTransition);
  EXPECT_EQ(registry().apply(clerk_, no, CardAction::kCollect)->card.status, CardStatus::kInactive);
  EXPECT_EQ(registry().activate(clerk_, no, "246810")->card.status, CardStatus::kActive);
  EXPECT_EQ(registry().apply(clerk_, no, CardAction::kReportLoss)->card.status, CardStatus::kLost);
  EXPECT_EQ(registry().apply(clerk_, no, CardAction::kCancelLoss)->card.status,
            CardStatus::kActive);
  EXPECT_EQ(registry().apply(clerk_, no, CardAction::kLock)->card.status, CardStatus::kLocked);
  EXPECT_EQ(registry().apply(clerk_, no, CardAction::kUnlock)->card.status, CardStatus::kActive);
  EXPECT_EQ(registry().apply(clerk_, no, CardAction::kCancel)->card.status, CardStatus::kCancelled);
  EXPECT_EQ(registry().apply(clerk_, no, CardAction::kUnlock).error().code,
            ErrorCode::kInvalidStateTransition);
  // A cancelled card frees the person for a new one.
  EXPECT_TRUE(registry().issue_card(clerk_, id, "NBCB").ok());
}

TEST_F(RegistryTest, R_C1_OneLiveCardPerPerson) {
  const auto id = add_person();
  ASSERT_TRUE(registry().issue_card(clerk_, id, "NBCB").ok());
  auto second = registry().issue_card(clerk_, id, "ICBC");
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.error().code, ErrorCode::kConflict);
}

TEST_F(RegistryTest, R_L3_ReplaceMakesNewPendingCardAndRetiresOld) {
  const auto id = add_person();
  const auto old_no = active_card(id);
  auto fresh = registry().replace(clerk_, old_no);
  ASSERT_TRUE(fresh.ok());
  EXPECT_NE(fresh->card.card_no, old_no);
  EXPECT_EQ(fresh->card.status, CardStatus::kPendingPickup);
  EXPECT_EQ(fresh->card.replaces_card_no, old_no);
  auto old = registry().card(clerk_, old_no);
  EXPECT_EQ(old->card.status, CardStatus::kReplaced);
  EXPECT_EQ(old->replaced_by, fresh->card.card_no);
  EXPECT_EQ(registry().person(Actor::command_line(), id)->card->card_no, fresh->card.card_no);
}

TEST_F(RegistryTest, R_C2_PinsAreSixDigitsAndStoredAsArgon2idHashes) {
  const auto id = add_person();
  auto card = registry().issue_card(clerk_, id, "NBCB");
  const auto no = card->card.card_no;
  ASSERT_TRUE(registry().apply(clerk_, no, CardAction::kCollect).ok());
  EXPECT_EQ(registry().activate(clerk_, no, "12345").error().code,
            ErrorCode::kInvalidPasswordFormat);
  auto active = registry().activate(clerk_, no, "246810");
  ASSERT_TRUE(active.ok());
  ASSERT_TRUE(active->card.hr_pin_hash.has_value());
  EXPECT_TRUE(active->card.hr_pin_hash->starts_with("$argon2id$"));
  EXPECT_TRUE(t_.ctx().hasher.verify(*active->card.hr_pin_hash, "246810"));
}

TEST_F(RegistryTest, R_C3_FinancialFunctionOnlyByTellerOfTheCardsBank) {
  const auto id = add_person();
  const auto no = active_card(id);
  FinancialActivation f{"6222021234567890128", "13900139000", "135790"};
  EXPECT_EQ(registry().activate_financial(other_teller_, no, f).error().code,
            ErrorCode::kForbidden);
  FinancialActivation bad_account{"6222021234567890127", "13900139000", "135790"};
  EXPECT_EQ(registry().activate_financial(teller_, no, bad_account).error().code,
            ErrorCode::kInvalidBankAccount);
  auto done = registry().activate_financial(teller_, no, f);
  ASSERT_TRUE(done.ok());
  EXPECT_TRUE(done->card.financial_active);
  EXPECT_EQ(registry().activate_financial(teller_, no, f).error().code, ErrorCode::kConflict);

  EXPECT_EQ(registry().change_reserved_phone(other_teller_, no, "13700137000").error().code,
            ErrorCode::kForbidden);
  auto changed = registry().change_reserved_phone(teller_, no, "13700137000");
  ASSERT_TRUE(changed.ok());
  EXPECT_EQ(changed->card.reserved_phone, "13700137000");
}

// A teller of another bank learns nothing of a card, not even that it exists: the same
// NOT_FOUND as a number that was never issued, as GET /v1/persons answers.
TEST_F(RegistryTest, R_C3_ATellerOfAnotherBankCannotReadTheCard) {
  const auto no = active_card(add_person());
  ASSERT_TRUE(registry().card(teller_, no).ok());
  ASSERT_TRUE(registry().card(clerk_, no).ok());
  EXPECT_EQ(registry().card(other_teller_, no).error().code, ErrorCode::kNotFound);
}

TEST_F(RegistryTest, R_C3_ReservedPhoneNeedsFinancialFunction) {
  const auto no = active_card(add_person());
  EXPECT_EQ(registry().change_reserved_phone(teller_, no, "13700137000").error().code,
            ErrorCode::kFinancialNotActivated);
}

TEST_F(RegistryTest, R_S5_DatabaseFileHoldsNoPersonalDataInClear) {
  const auto id = add_person();
  const auto no = active_card(id);
  ASSERT_TRUE(registry()
                  .activate_financial(teller_, no, {"6222021234567890128", "13900139000", "135790"})
                  .ok());
  // Every file of the folder, the write-ahead log included, and every row of a server
  // store, as a dump would take them.
  const auto bytes = t_.store_dump();
  ASSERT_GT(bytes.size(), 1000u);
  EXPECT_EQ(bytes.find(id), std::string::npos);
  EXPECT_EQ(bytes.find("6222021234567890128"), std::string::npos);
  EXPECT_EQ(bytes.find("13800138000"), std::string::npos);
  EXPECT_EQ(bytes.find("张三"), std::string::npos);
}

TEST_F(RegistryTest, R_S6_EveryChangeIsAuditedAndTamperingIsFound) {
  const auto id = add_person();
  active_card(id);
  auto& audit = t_.platform().audit;
  t_.sequence_audit();
  auto verified = audit.verify();
  EXPECT_TRUE(verified.ok()) << verified.problem.value_or("");
  EXPECT_EQ(verified.checkpoints, 1);
  EXPECT_GE(verified.entries, 7);  // 3 operators, person, card issue, collect, activate
  auto page = audit.list({});
  bool saw_activate = false;
  for (const auto& e : page.items) {
    saw_activate = saw_activate || e.action == "card.activate";
    EXPECT_EQ(e.target.find(id), std::string::npos) << "ID number in clear in the audit log";
  }
  EXPECT_TRUE(saw_activate);

  (void)t_.ctx().db.write<bool>([](store::Connection& c) -> Result<bool> {
    c.exec("UPDATE audit_entries SET target = 'X00000000' WHERE seq = 5");
    return true;
  });
  verified = audit.verify();
  EXPECT_FALSE(verified.ok());
  EXPECT_EQ(verified.first_bad_seq, 5);
}

}  // namespace
}  // namespace essc::services
