// R-K1 on the account itself, on a real store: a password reset, an issuance in another
// channel and a session are refused past their counts; adding a family member and
// revoking a channel soon after a changed credential need a step-up, as bank money does.
#include "services/risk_control.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <latch>
#include <thread>
#include <vector>

#include "crypto/encoding.hpp"
#include "domain/client.hpp"
#include "domain/operator.hpp"
#include "services/platform.hpp"
#include "store/risk_event_repository.hpp"
#include "support/test_platform.hpp"

namespace essc::services {
namespace {

using domain::CardAction;

constexpr char kPassword[] = "258147";
constexpr std::int64_t kHourMs = 3'600'000;

class AccountRiskTest : public ::testing::Test {
 protected:
  AccountRiskTest() {
    clerk_ = Actor::of_operator(t_.make_operator("clerk", domain::OperatorRole::kHrClerk));
    id_ = person("张三", "33020219900307123");
    channel_ = channel("政务APP");
    binding_ = issue_in(channel_, kPassword)->binding.binding_id;
  }

  Platform& p() { return t_.platform(); }

  std::string person(const std::string& name, const std::string& first17) {
    const auto id = testing::make_id_number(first17);
    EXPECT_TRUE(
        p().registry.add_person(clerk_, {name, id, "330200", std::nullopt, true, true}).ok());
    const auto card = p().registry.issue_card(clerk_, id, "NBCB")->card.card_no;
    EXPECT_TRUE(p().registry.apply(clerk_, card, CardAction::kCollect).ok());
    EXPECT_TRUE(p().registry.activate(clerk_, card, "975310").ok());
    return id;
  }

  domain::Client channel(const std::string& name) {
    return *p().clients.add(Actor::command_line(),
                            {"channel", name, "bank", std::nullopt, std::nullopt, std::nullopt});
  }

  Result<BindingView> issue_in(const domain::Client& client, const std::string& password) {
    auto v = p().verifications.start(client, {"issue", "张三", id_, std::nullopt, std::nullopt});
    EXPECT_TRUE(p().verifications.face(client, v->verification_id, crypto::to_base64("face")).ok());
    return p().ecards.issue(client, v->verification_id, password);
  }

  Status reset_password(const std::string& new_password) {
    ESSC_ASSIGN_OR_RETURN(
        auto v, p().verifications.start(channel_, {"reset_password", std::nullopt, std::nullopt,
                                                   binding_, std::nullopt}));
    ESSC_TRY(p().verifications.face(channel_, v.verification_id, crypto::to_base64("face")));
    return p().ecards.reset_password(channel_, binding_, v.verification_id, new_password);
  }

  Status pass_step_up(const std::string& risk_id) {
    ESSC_ASSIGN_OR_RETURN(
        auto v, p().verifications.start(
                    channel_, {"step_up", std::nullopt, std::nullopt, binding_, risk_id}));
    ESSC_TRY(p().verifications.face(channel_, v.verification_id, crypto::to_base64("face")));
    return {};
  }

  domain::RiskEvent event(const std::string& risk_id) {
    auto found =
        t_.ctx().db.read([&](store::Connection& c) { return store::find_risk_event(c, risk_id); });
    EXPECT_TRUE(found.has_value());
    return found.value_or(domain::RiskEvent{});
  }

  bool inbox_has(const std::string& type) {
    const auto inbox = p().ecards.notifications(channel_, binding_, 0, 50);
    return inbox.ok() &&
           std::any_of(inbox->begin(), inbox->end(), [&](const auto& n) { return n.type == type; });
  }

  // A denial: RISK_DENIED with a risk_id and no checks offered, recorded with its rule.
  void expect_denied(const Status& refused, std::string_view rule, std::string_view action) {
    ASSERT_FALSE(refused.ok());
    ASSERT_EQ(refused.error().code, ErrorCode::kRiskDenied);
    EXPECT_TRUE(refused.error().extras.methods.empty());
    const auto e = event(refused.error().extras.risk_id.value_or(""));
    EXPECT_EQ(e.decision, domain::kDecisionDeny);
    EXPECT_EQ(e.action, action);
    EXPECT_EQ(e.rules, std::vector<std::string>{std::string(rule)});
    EXPECT_TRUE(inbox_has("ecard.risk_denied"));
    EXPECT_EQ(pass_step_up(e.risk_id).error().code, ErrorCode::kConflict)
        << "a check does not clear a refusal";
  }

  testing::TestPlatform t_;
  Actor clerk_;
  std::string id_;
  domain::Client channel_;
  std::string binding_;
};

TEST_F(AccountRiskTest, R_K1_APasswordResetPastItsDailyCountIsDenied) {
  for (const auto* password : {"369147", "147258", "258369"})
    ASSERT_TRUE(reset_password(password).ok()) << password;
  const auto refused = reset_password("471369");
  expect_denied(refused, domain::kRulePasswordResetsPerDay, domain::kActionPasswordReset);
  EXPECT_TRUE(p().usage.open_session(channel_, binding_, "258369").ok())
      << "the refused reset changed nothing";
  EXPECT_EQ(reset_password("471369").error().extras.risk_id, refused.error().extras.risk_id)
      << "a retry meets the same open decision";
  t_.clock().advance_ms(24 * kHourMs);
  const auto later = reset_password("471369");
  EXPECT_TRUE(later.ok()) << "a day later the count has fallen: "
                          << error_code_name(later.error().code);
}

TEST_F(AccountRiskTest, R_K1_AnIssuanceInAnotherChannelPastItsDailyCountIsDenied) {
  for (const auto* name : {"银行APP", "医保APP", "城市APP"})
    ASSERT_TRUE(issue_in(channel(name), kPassword).ok()) << name;
  const auto fifth = channel("支付APP");
  const auto refused = issue_in(fifth, kPassword);
  expect_denied(refused.ok() ? Status{} : Status{refused.error()}, domain::kRuleNewChannelsPerDay,
                domain::kActionNewChannel);
  t_.clock().advance_ms(24 * kHourMs);
  EXPECT_TRUE(issue_in(fifth, kPassword).ok());
}

TEST_F(AccountRiskTest, R_K1_SessionsPastTheirHourlyCountAreDenied) {
  auto policies = testing::test_region_policies();
  policies.at("330200").risk.sessions_per_hour_max = 4;
  p().policies.replace(std::move(policies));
  int opened = 0;
  Status refused;
  while (refused.ok() && opened < 10) {
    auto session = p().usage.open_session(channel_, binding_, kPassword);
    if (session.ok())
      ++opened;
    else
      refused = session.error();
  }
  EXPECT_EQ(opened, 4);
  expect_denied(refused, domain::kRuleSessionsPerHour, domain::kActionSession);
  t_.clock().advance_ms(kHourMs);
  EXPECT_TRUE(p().usage.open_session(channel_, binding_, kPassword).ok());
}

// Four at once: a fifth password check in flight would lock the e-card (R-W4 counts a try
// as failed until it is known right).
TEST_F(AccountRiskTest, R_K1_AConcurrentBurstOfSessionsCannotPassTheCount) {
  auto policies = testing::test_region_policies();
  policies.at("330200").risk.sessions_per_hour_max = 2;
  p().policies.replace(std::move(policies));
  constexpr int kBurst = 4;
  std::atomic<int> opened{0};
  std::atomic<int> denied{0};
  std::latch start(kBurst);
  std::vector<std::thread> threads;
  for (int i = 0; i < kBurst; ++i) {
    threads.emplace_back([&] {
      start.arrive_and_wait();
      const auto session = p().usage.open_session(channel_, binding_, kPassword);
      if (session.ok()) {
        ++opened;
      } else {
        EXPECT_EQ(session.error().code, ErrorCode::kRiskDenied) << session.error().detail;
        ++denied;
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(opened.load(), 2);
  EXPECT_EQ(denied.load(), kBurst - 2);
}

TEST_F(AccountRiskTest, R_K2_ARevocationOrAFamilyMemberSoonAfterAResetNeedsAStepUp) {
  const auto bank = channel("银行APP");
  ASSERT_TRUE(issue_in(bank, kPassword).ok());
  const auto child_id = person("张小花", "33020220200601002");
  const auto holder = *p().ecards.get(channel_, binding_);
  const NewMember child{"张小花", child_id, "child", std::nullopt};
  ASSERT_TRUE(reset_password("369147").ok());

  const auto revoked = p().ecards.revoke_channel(channel_, holder, bank.client_id, "369147");
  ASSERT_FALSE(revoked.ok());
  ASSERT_EQ(revoked.error().code, ErrorCode::kRiskStepUpRequired);
  const auto revoke_risk = revoked.error().extras.risk_id.value_or("");
  EXPECT_EQ(event(revoke_risk).rules,
            std::vector<std::string>{std::string(domain::kRuleAccountTakeover)});
  EXPECT_EQ(p().ecards.channels(holder).size(), 2U) << "nothing was revoked";
  const auto added = p().family.add(channel_, holder, child);
  ASSERT_FALSE(added.ok());
  EXPECT_EQ(added.error().code, ErrorCode::kRiskStepUpRequired);
  EXPECT_TRUE(p().family.members(holder).empty());

  // One passed check clears the takeover rule for both, as it does for bank money.
  ASSERT_TRUE(pass_step_up(revoke_risk).ok());
  EXPECT_TRUE(p().family.add(channel_, holder, child).ok());
  EXPECT_TRUE(p().ecards.revoke_channel(channel_, holder, bank.client_id, "369147").ok());
}

TEST_F(AccountRiskTest, R_K2_ANewChannelAloneDoesNotAskAboutAnAccountChange) {
  const auto bank = channel("银行APP");
  ASSERT_TRUE(issue_in(bank, kPassword).ok());
  const auto holder = *p().ecards.get(channel_, binding_);
  EXPECT_TRUE(p().ecards.revoke_channel(channel_, holder, bank.client_id, kPassword).ok())
      << "the issuance passed a full check and the password";
  ASSERT_TRUE(reset_password("369147").ok());
  t_.clock().advance_ms(24 * kHourMs);  // the reset's window has closed
  const auto child_id = person("张小花", "33020220200601002");
  EXPECT_TRUE(p().family.add(channel_, holder, {"张小花", child_id, "child", std::nullopt}).ok());
}

}  // namespace
}  // namespace essc::services
