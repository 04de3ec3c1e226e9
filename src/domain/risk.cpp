#include "domain/risk.hpp"

namespace essc::domain {
namespace {

constexpr std::int64_t kMsPerMinute = 60'000;
constexpr std::int64_t kMsPerHour = 60 * kMsPerMinute;

// A step-up passed after the window's signal and within its validity clears the rule.
bool cleared(const std::optional<std::int64_t>& passed_at, std::int64_t since_ms,
             const RiskThresholds& t, std::int64_t now_ms) {
  return passed_at && *passed_at >= since_ms &&
         now_ms - *passed_at < t.step_up_valid_minutes * kMsPerMinute;
}

}  // namespace

std::vector<std::string> step_up_rules(const RiskThresholds& t, const RiskFigures& f,
                                       const StepUpsPassed& passed, std::int64_t now_ms) {
  std::vector<std::string> rules;
  const auto& signal = f.latest_signal;
  if (signal && now_ms - signal->at_ms < t.takeover_window_hours * kMsPerHour &&
      (f.bank_amount_fen > t.takeover_amount_fen || f.changes_account) &&
      !cleared(passed.takeover_at_ms, signal->at_ms, t, now_ms)) {
    rules.emplace_back(kRuleAccountTakeover);
  }
  if (f.settlements_last_hour >= t.settlements_per_hour_max &&
      !cleared(passed.settlements_per_hour_at_ms, 0, t, now_ms)) {
    rules.emplace_back(kRuleSettlementsPerHour);
  }
  if (f.institution_is_new_today && f.institutions_today >= t.institutions_per_day_max &&
      !cleared(passed.institutions_per_day_at_ms, 0, t, now_ms)) {
    rules.emplace_back(kRuleInstitutionsPerDay);
  }
  return rules;
}

std::optional<RepeatLimit> repeat_limit(const RiskThresholds& t, std::string_view action) {
  if (action == kActionPasswordReset)
    return RepeatLimit{kRulePasswordResetsPerDay, 24 * kMsPerHour, t.password_resets_per_day_max};
  if (action == kActionNewChannel)
    return RepeatLimit{kRuleNewChannelsPerDay, 24 * kMsPerHour, t.new_channels_per_day_max};
  if (action == kActionSession)
    return RepeatLimit{kRuleSessionsPerHour, kMsPerHour, t.sessions_per_hour_max};
  return std::nullopt;
}

std::optional<std::string> deny_rule(const RiskThresholds& t, std::string_view action,
                                     const RiskFigures& f) {
  const auto limit = repeat_limit(t, action);
  if (!limit || f.repeats < limit->max) return std::nullopt;
  return std::string(limit->rule);
}

std::string describe(const RiskFigures& f) {
  std::string text = "settlements_last_hour=" + std::to_string(f.settlements_last_hour) +
                     " institutions_today=" + std::to_string(f.institutions_today);
  if (f.bank_amount_fen > 0) text += " bank_amount_fen=" + std::to_string(f.bank_amount_fen);
  if (f.latest_signal) text += " signal=" + f.latest_signal->kind;
  if (f.repeats > 0) text += " repeats=" + std::to_string(f.repeats);
  return text;
}

std::string_view to_string(RiskEventStatus status) {
  switch (status) {
    case RiskEventStatus::kOpen:
      return "open";
    case RiskEventStatus::kCleared:
      return "cleared";
    case RiskEventStatus::kNotMe:
      return "not_me";
  }
  return "open";
}

std::optional<RiskEventStatus> parse_risk_event_status(std::string_view text) {
  for (const auto s : {RiskEventStatus::kOpen, RiskEventStatus::kCleared, RiskEventStatus::kNotMe})
    if (to_string(s) == text) return s;
  return std::nullopt;
}

}  // namespace essc::domain
