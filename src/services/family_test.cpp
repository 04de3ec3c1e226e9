// Family accounts on a real SQLite file (R-F1…R-F4): who may be added and how, the
// member's code standing for the member at the till, and every use told to the member.
#include "services/family.hpp"

#include <gtest/gtest.h>

#include "crypto/encoding.hpp"
#include "domain/client.hpp"
#include "domain/notification.hpp"
#include "domain/operator.hpp"
#include "services/platform.hpp"
#include "store/account_repository.hpp"
#include "store/notification_repository.hpp"
#include "store/person_repository.hpp"
#include "support/test_platform.hpp"

namespace essc::services {
namespace {

using domain::CardAction;
using domain::ItemCategory;
using domain::OperatorRole;

constexpr char kPassword[] = "258147";

class FamilyTest : public ::testing::Test {
 protected:
  FamilyTest() {
    clerk_ = Actor::of_operator(t_.make_operator("clerk", domain::OperatorRole::kHrClerk));
    channel_ = *p().clients.add(Actor::command_line(), {"channel", "政务APP", "gov", std::nullopt,
                                                        std::nullopt, std::nullopt});
    pharmacy_ = *p().clients.add(Actor::command_line(), {"institution", "药房", std::nullopt,
                                                         "pharmacy", "330200", std::nullopt});
    hall_ = *p().clients.add(Actor::command_line(), {"institution", "大厅", std::nullopt,
                                                     "service_hall", "330200", std::nullopt});
    holder_id_ = person("张三", "33020219900307123");
    holder_ = holder_of("张三", holder_id_);
    daughter_id_ = person("张小花", "33020220200601002");
    mother_id_ = person("李秀英", "33020219600101002");
  }

  Platform& p() { return t_.platform(); }

  // A registered person with an active card and 100 yuan in the personal account.
  std::string person(const std::string& name, const std::string& first17,
                     const std::string& region = "330200") {
    const auto id = testing::make_id_number(first17);
    EXPECT_TRUE(p().registry.add_person(clerk_, {name, id, region, std::nullopt, true, true}).ok());
    const auto card = p().registry.issue_card(clerk_, id, "NBCB")->card.card_no;
    EXPECT_TRUE(p().registry.apply(clerk_, card, CardAction::kCollect).ok());
    EXPECT_TRUE(p().registry.activate(clerk_, card, "975310").ok());
    EXPECT_TRUE(
        p().accounts.credit_medical(clerk_, {id, 10000, "个人账户划入", std::nullopt}).ok());
    cards_[id] = card;
    return id;
  }

  std::string verified(const std::string& purpose, const std::string& name, const std::string& id) {
    auto v = p().verifications.start(channel_, {purpose, name, id, std::nullopt, std::nullopt});
    EXPECT_TRUE(v.ok());
    EXPECT_TRUE(
        p().verifications.face(channel_, v->verification_id, crypto::to_base64("face")).ok());
    return v->verification_id;
  }

  // The person's e-card in the channel, opened: the session's binding.
  BindingView holder_of(const std::string& name, const std::string& id) {
    const auto binding =
        p().ecards.issue(channel_, verified("issue", name, id), kPassword)->binding.binding_id;
    const auto session = p().usage.open_session(channel_, binding, kPassword)->token;
    return *p().usage.authenticate_session(channel_, binding, session);
  }

  Result<MemberView> add(const BindingView& holder, const std::string& name, const std::string& id,
                         std::optional<std::string> verification = std::nullopt,
                         const std::string& relation = "child") {
    return p().family.add(channel_, holder, {name, id, relation, std::move(verification)});
  }

  std::int64_t person_id(const std::string& id) {
    return t_.ctx().db.read([&](store::Connection& c) {
      return store::find_person_by_id_number(c, t_.ctx().vault, id)->person_id;
    });
  }
  std::int64_t balance(const std::string& id) {
    return t_.ctx().db.read(
        [&](store::Connection& c) { return store::medical_balance_fen(c, person_id(id)); });
  }
  std::vector<domain::Notification> inbox(const std::string& id) {
    return t_.ctx().db.read(
        [&](store::Connection& c) { return store::list_notifications(c, person_id(id), 0, 50); });
  }
  SettlementRequest pill(const std::string& token, const std::string& order) {
    return {token, order, "pharmacy", {{"A1", "药", ItemCategory::kA, 1, 1500}}, false};
  }

  testing::TestPlatform t_;
  Actor clerk_;
  domain::Client channel_, pharmacy_, hall_;
  std::map<std::string, std::string> cards_;
  std::string holder_id_, daughter_id_, mother_id_;
  BindingView holder_;
};

TEST_F(FamilyTest, R_F2_AMemberUnder16IsAddedAloneAndOneOf16OrOverConsents) {
  const auto daughter = add(holder_, "张小花", daughter_id_);
  ASSERT_TRUE(daughter.ok()) << error_code_name(daughter.error().code);
  EXPECT_FALSE(daughter->record.consented);
  EXPECT_EQ(add(holder_, "李秀英", mother_id_, std::nullopt, "parent").error().code,
            ErrorCode::kFamilyConsentRequired);
  // Another person's verification is no consent; the mother's own is.
  EXPECT_EQ(add(holder_, "李秀英", mother_id_, verified("family_consent", "张小花", daughter_id_),
                "parent")
                .error()
                .extras.field,
            "verification_id");
  const auto mother = add(holder_, "李秀英", mother_id_,
                          verified("family_consent", "李秀英", mother_id_), "parent");
  ASSERT_TRUE(mother.ok()) << error_code_name(mother.error().code);
  EXPECT_TRUE(mother->record.consented);
  EXPECT_EQ(p().family.members(holder_).size(), 2u);
  EXPECT_EQ(add(holder_, "张小花", daughter_id_).error().code, ErrorCode::kConflict);
  EXPECT_EQ(add(holder_, "张大花", daughter_id_).error().code, ErrorCode::kNameIdMismatch);
  EXPECT_EQ(add(holder_, "张三", holder_id_).error().extras.field, "id_number");
  EXPECT_EQ(p().family.add(channel_, holder_, {"张小花", daughter_id_, "cousin", std::nullopt})
                .error()
                .extras.field,
            "relation");
}

// The 16th birthday begins at midnight in China Standard Time, 16:00 UTC the day before.
TEST_F(FamilyTest, R_F2_AgeCountsFromTheIdNumbersBirthDateInChinaStandardTime) {
  const auto id = testing::make_id_number("33020220101127001");  // born 2010-11-27
  const std::int64_t midnight_cst =
      testing::kTestEpochMs + 16LL * 3600 * 1000;  // 2026-11-27T00:00+08:00
  EXPECT_EQ(age_on(id, midnight_cst - 1), 15);
  EXPECT_EQ(age_on(id, midnight_cst), 16);
  const auto leap = testing::make_id_number("33020220080229001");       // born 2008-02-29
  EXPECT_EQ(age_on(leap, *parse_rfc3339("2024-02-28T16:00:00Z")), 16);  // 2024-02-29 CST
  EXPECT_EQ(age_on(leap, *parse_rfc3339("2025-02-28T15:59:59Z")), 16);
}

TEST_F(FamilyTest, R_F1_FiveMembersAHolderTwoHoldersAMemberActiveCardsOnly) {
  for (int i = 0; i < 5; ++i) {
    const auto id = person("孩子", "33020220200601" + std::to_string(i) + "01");
    ASSERT_TRUE(add(holder_, "孩子", id).ok()) << i;
  }
  EXPECT_EQ(add(holder_, "张小花", daughter_id_).error().code, ErrorCode::kFamilyLimit);
  const auto second = holder_of("李秀英", mother_id_);
  const auto third_id = person("王五", "33020219850101003");
  const auto third = holder_of("王五", third_id);
  ASSERT_TRUE(add(second, "张小花", daughter_id_).ok());
  ASSERT_TRUE(add(third, "张小花", daughter_id_).ok());
  const auto fourth_id = person("赵六", "33020219850101004");
  EXPECT_EQ(add(holder_of("赵六", fourth_id), "张小花", daughter_id_).error().code,
            ErrorCode::kFamilyLimit);
  const auto lost_id = person("钱七", "33020220190101005");
  ASSERT_TRUE(p().registry.apply(clerk_, cards_[lost_id], CardAction::kReportLoss).ok());
  EXPECT_EQ(add(second, "钱七", lost_id).error().code, ErrorCode::kCardReportedLost);
}

TEST_F(FamilyTest, R_F3_AMembersCodeSettlesOnTheMembersAccountAndCardState) {
  const auto member = add(holder_, "张小花", daughter_id_);
  ASSERT_TRUE(member.ok());
  const auto& member_id = member->id;
  const auto code = [&](const std::string& purpose) {
    return p().family.issue_qr(holder_, member_id, purpose)->token;
  };
  const auto identity = p().usage.verify_identity(hall_, code("identity"));
  ASSERT_TRUE(identity.ok());
  EXPECT_EQ(identity->name_masked, "**花");
  const auto settled = p().settlements.settle(pharmacy_, pill(code("payment"), "fam-1"));
  ASSERT_TRUE(settled.ok()) << error_code_name(settled.error().code);
  EXPECT_EQ(settled->settlement.person_id, person_id(daughter_id_));
  EXPECT_EQ(balance(daughter_id_), 10000 - 1500);
  EXPECT_EQ(balance(holder_id_), 10000);
  const auto records = p().family.records(holder_, member_id, {"settlements", 0, INT64_MAX, 0, 50});
  ASSERT_TRUE(records.ok());
  ASSERT_EQ(records->items.size(), 1u);
  EXPECT_EQ(
      p().family.records(holder_, member_id, {"auth", 0, INT64_MAX, 0, 50}).error().extras.field,
      "kind");
  EXPECT_EQ(p().family.issue_qr(holder_, "fm_other", "payment").error().code, ErrorCode::kNotFound);
  EXPECT_EQ(p().settlements
                .settle(pharmacy_, {code("payment"),
                                    "fam-bank",
                                    "pharmacy",
                                    {{"A1", "药", ItemCategory::kA, 1, 100}},
                                    true})
                .error()
                .code,
            ErrorCode::kForbidden);

  // The member's card governs: a code shown before the loss report is refused after it.
  const auto early = code("payment");
  ASSERT_TRUE(p().registry.apply(clerk_, cards_[daughter_id_], CardAction::kReportLoss).ok());
  EXPECT_EQ(p().settlements.settle(pharmacy_, pill(early, "fam-2")).error().code,
            ErrorCode::kCardReportedLost);
  EXPECT_EQ(p().family.issue_qr(holder_, member_id, "payment").error().code,
            ErrorCode::kCardReportedLost);
  ASSERT_TRUE(p().registry.apply(clerk_, cards_[daughter_id_], CardAction::kCancelLoss).ok());
  // The holder's own loss report leaves the member's card alone, but shows no code.
  const auto before_loss = code("payment");
  ASSERT_TRUE(p().registry.apply(clerk_, cards_[holder_id_], CardAction::kReportLoss).ok());
  EXPECT_EQ(p().settlements.settle(pharmacy_, pill(before_loss, "fam-3")).error().code,
            ErrorCode::kEcardSuspended);
  EXPECT_EQ(p().registry.card(Actor::command_line(), cards_[daughter_id_])->card.status,
            domain::CardStatus::kActive);
}

TEST_F(FamilyTest, R_F3_TheMembersRegionPolicyApplies) {
  const auto away_id = person("周九", "11010520190101006", "110100");  // Beijing: no policy loaded
  const auto member = add(holder_, "周九", away_id);
  ASSERT_TRUE(member.ok());
  const auto token = p().family.issue_qr(holder_, member->id, "payment")->token;
  EXPECT_EQ(p().settlements.settle(pharmacy_, pill(token, "fam-bj")).error().code,
            ErrorCode::kRegionNotCovered);
}

TEST_F(FamilyTest, R_F4_EveryUseIsToldToTheMemberNamingHolderAndChannel) {
  const auto member = add(holder_, "张小花", daughter_id_);
  ASSERT_TRUE(member.ok());
  ASSERT_TRUE(
      p().usage.verify_identity(hall_, p().family.issue_qr(holder_, member->id, "identity")->token)
          .ok());
  const auto history = t_.ctx().db.read([&](store::Connection& c) {
    return store::list_records(c, "auth", person_id(daughter_id_), 0, INT64_MAX, 0, 10);
  });
  ASSERT_EQ(history.size(), 1u);
  const auto text = [&](const std::string& name) {
    for (const auto& [key, value] : history[0].text)
      if (key == name) return value;
    return std::string();
  };
  EXPECT_EQ(text("kind"), "family_code");
  EXPECT_EQ(text("detail"), "*三");
  EXPECT_EQ(text("channel_name"), "政务APP");
  const auto notes = inbox(daughter_id_);
  ASSERT_EQ(notes.size(), 2u);
  EXPECT_EQ(notes[0].type, "family.code_used");
  EXPECT_NE(notes[0].body_zh.find("*三"), std::string::npos);
  EXPECT_NE(notes[0].body_zh.find("政务APP"), std::string::npos);
  EXPECT_EQ(notes[1].type, "family.added");
  ASSERT_TRUE(p().family.remove(channel_, holder_, member->id).ok());
  EXPECT_EQ(inbox(daughter_id_)[0].type, "family.removed");
  EXPECT_EQ(inbox(holder_id_)[0].type, "family.removed");
  EXPECT_TRUE(p().family.members(holder_).empty());
}

// R-E2, R-E9: a membership has an id of its own in each channel, so that neither two
// channels of the holder nor the member's channel can link a person by it.
TEST_F(FamilyTest, R_E2_R_F1_EachChannelKnowsAMembershipByAnIdOfItsOwn) {
  ASSERT_TRUE(
      add(holder_, "李秀英", mother_id_, verified("family_consent", "李秀英", mother_id_), "parent")
          .ok());
  const auto bank =
      *p().clients.add(Actor::command_line(),
                       {"channel", "银行APP", "bank", std::nullopt, std::nullopt, std::nullopt});
  auto v = p().verifications.start(bank, {"issue", "张三", holder_id_, std::nullopt, std::nullopt});
  ASSERT_TRUE(p().verifications.face(bank, v->verification_id, crypto::to_base64("face")).ok());
  const auto in_bank = p().ecards.issue(bank, v->verification_id, kPassword)->binding.binding_id;
  const auto session = p().usage.open_session(bank, in_bank, kPassword)->token;
  const auto holder_in_bank = *p().usage.authenticate_session(bank, in_bank, session);

  const auto gov_id = p().family.members(holder_)[0].id;
  const auto bank_id = p().family.members(holder_in_bank)[0].id;
  const auto mothers_id = p().family.guardians(holder_of("李秀英", mother_id_))[0].id;
  EXPECT_NE(gov_id, bank_id);
  EXPECT_NE(gov_id, mothers_id);
  EXPECT_NE(bank_id, mothers_id);
  // Each id works in its own channel only.
  EXPECT_TRUE(p().family.issue_qr(holder_in_bank, bank_id, "identity").ok());
  EXPECT_EQ(p().family.issue_qr(holder_in_bank, gov_id, "identity").error().code,
            ErrorCode::kNotFound);
  EXPECT_EQ(p().family.remove(bank, holder_in_bank, gov_id).error().code, ErrorCode::kNotFound);
  ASSERT_TRUE(p().family.remove(bank, holder_in_bank, bank_id).ok());
  EXPECT_TRUE(p().family.members(holder_).empty());
}

TEST_F(FamilyTest, R_F2_AMemberOf16OrOverWithdrawsConsentFromTheirOwnEcard) {
  ASSERT_TRUE(
      add(holder_, "李秀英", mother_id_, verified("family_consent", "李秀英", mother_id_), "parent")
          .ok());
  const auto mother = holder_of("李秀英", mother_id_);
  const auto guardians = p().family.guardians(mother);
  ASSERT_EQ(guardians.size(), 1u);
  EXPECT_EQ(guardians[0].person.person_id, holder_.person.person_id);
  EXPECT_EQ(p().family.withdraw(channel_, mother, "fm_none").error().code, ErrorCode::kNotFound);
  ASSERT_TRUE(p().family.withdraw(channel_, mother, guardians[0].id).ok());
  EXPECT_TRUE(p().family.members(holder_).empty());
  EXPECT_EQ(inbox(holder_id_)[0].type, "family.removed");
  // A child's membership is the holder's to end.
  ASSERT_TRUE(add(holder_, "张小花", daughter_id_).ok());
  const auto daughter = holder_of("张小花", daughter_id_);
  EXPECT_EQ(
      p().family.withdraw(channel_, daughter, p().family.guardians(daughter)[0].id).error().code,
      ErrorCode::kForbidden);
}

}  // namespace
}  // namespace essc::services
