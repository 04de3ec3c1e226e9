#include "domain/risk.hpp"

#include <gtest/gtest.h>

namespace essc::domain {
namespace {

constexpr std::int64_t kMinute = 60'000;
constexpr std::int64_t kHour = 60 * kMinute;
constexpr std::int64_t kNow = 1'000 * kHour;

using Rules = std::vector<std::string>;

RiskFigures after_reset(std::int64_t reset_at, std::int64_t bank_amount_fen) {
  RiskFigures f;
  f.latest_signal = RiskSignal{reset_at, "password_reset"};
  f.bank_amount_fen = bank_amount_fen;
  return f;
}

TEST(RiskRules, R_K2_BankMoneyAboveTheAmountWithinTheWindowStepsUp) {
  const RiskThresholds t;
  EXPECT_EQ(step_up_rules(t, after_reset(kNow - kHour, 50001), {}, kNow),
            Rules{std::string(kRuleAccountTakeover)});
  EXPECT_TRUE(step_up_rules(t, after_reset(kNow - kHour, 50000), {}, kNow).empty())
      << "the amount itself is allowed";
  EXPECT_TRUE(step_up_rules(t, after_reset(kNow - 24 * kHour, 90000), {}, kNow).empty())
      << "the window has closed";
  EXPECT_TRUE(step_up_rules(t, RiskFigures{}, {}, kNow).empty()) << "no signal, no window";
}

TEST(RiskRules, R_K2_AStepUpAfterTheSignalClearsItForItsValidity) {
  const RiskThresholds t;
  const auto f = after_reset(kNow - 2 * kHour, 90000);
  StepUpsPassed passed;
  passed.takeover_at_ms = kNow - 29 * kMinute;
  EXPECT_TRUE(step_up_rules(t, f, passed, kNow).empty());
  passed.takeover_at_ms = kNow - 30 * kMinute;
  EXPECT_FALSE(step_up_rules(t, f, passed, kNow).empty()) << "valid for 30 minutes";
  passed.takeover_at_ms = kNow - 3 * kHour;
  EXPECT_FALSE(step_up_rules(t, f, passed, kNow).empty())
      << "a step-up before the latest signal does not clear it";
}

TEST(RiskRules, R_K3_ManySettlementsOrInstitutionsStepUp) {
  const RiskThresholds t;
  RiskFigures f;
  f.settlements_last_hour = 5;
  f.institutions_today = 3;
  EXPECT_TRUE(step_up_rules(t, f, {}, kNow).empty());
  f.settlements_last_hour = 6;
  EXPECT_EQ(step_up_rules(t, f, {}, kNow), Rules{std::string(kRuleSettlementsPerHour)});
  f.settlements_last_hour = 0;
  f.institutions_today = 4;
  EXPECT_EQ(step_up_rules(t, f, {}, kNow), Rules{std::string(kRuleInstitutionsPerDay)});
  f.institution_is_new_today = false;
  EXPECT_TRUE(step_up_rules(t, f, {}, kNow).empty()) << "one of the day's institutions";
  StepUpsPassed passed;
  passed.institutions_per_day_at_ms = kNow - kMinute;
  f.institution_is_new_today = true;
  EXPECT_TRUE(step_up_rules(t, f, passed, kNow).empty());
}

TEST(RiskRules, R_K2_AnAccountChangeWithinTheWindowStepsUpWhateverTheAmount) {
  const RiskThresholds t;
  auto f = after_reset(kNow - kHour, 0);
  EXPECT_TRUE(step_up_rules(t, f, {}, kNow).empty()) << "no money, no account change";
  f.changes_account = true;
  EXPECT_EQ(step_up_rules(t, f, {}, kNow), Rules{std::string(kRuleAccountTakeover)});
  f.latest_signal->at_ms = kNow - 24 * kHour;
  EXPECT_TRUE(step_up_rules(t, f, {}, kNow).empty()) << "the window has closed";
}

TEST(RiskRules, R_K1_AnActionRepeatedPastItsLimitIsDenied) {
  const RiskThresholds t;
  RiskFigures f;
  f.repeats = 2;
  EXPECT_FALSE(deny_rule(t, kActionPasswordReset, f).has_value());
  f.repeats = 3;
  EXPECT_EQ(deny_rule(t, kActionPasswordReset, f), std::string(kRulePasswordResetsPerDay));
  EXPECT_EQ(deny_rule(t, kActionNewChannel, f), std::string(kRuleNewChannelsPerDay));
  EXPECT_FALSE(deny_rule(t, kActionSession, f).has_value()) << "30 sessions an hour";
  f.repeats = 30;
  EXPECT_EQ(deny_rule(t, kActionSession, f), std::string(kRuleSessionsPerHour));
  EXPECT_FALSE(deny_rule(t, kActionSettlement, f).has_value()) << "R-K3 steps up instead";
  EXPECT_EQ(repeat_limit(t, kActionSession)->window_ms, kHour);
  EXPECT_EQ(repeat_limit(t, kActionPasswordReset)->window_ms, 24 * kHour);
}

TEST(RiskRules, R_K1_WhatARefusalRecordsNamesNoThreshold) {
  RiskFigures f = after_reset(kNow, 60000);
  f.settlements_last_hour = 2;
  const auto text = describe(f);
  EXPECT_EQ(text,
            "settlements_last_hour=2 institutions_today=0 bank_amount_fen=60000 "
            "signal=password_reset");
  EXPECT_EQ(parse_risk_event_status("not_me"), RiskEventStatus::kNotMe);
  EXPECT_FALSE(parse_risk_event_status("closed").has_value());
}

}  // namespace
}  // namespace essc::domain
