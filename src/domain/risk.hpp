// Risk control's rules (R-K1…R-K3, POLICY.md "Risk rules"): the thresholds of a region,
// the actions they score, the ids the decisions name, and the pure test of each rule
// against the figures the store holds. Quantity limits (R-K4) live with the settlement
// arithmetic.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace essc::domain {

struct RiskThresholds {
  std::int64_t takeover_window_hours = 24;
  std::int64_t takeover_amount_fen = 50000;
  std::int64_t settlements_per_hour_max = 6;
  std::int64_t institutions_per_day_max = 4;
  std::int64_t step_up_valid_minutes = 30;
  std::int64_t password_resets_per_day_max = 3;
  std::int64_t new_channels_per_day_max = 3;
  std::int64_t sessions_per_hour_max = 30;
};

// The sensitive actions R-K1 scores: the API's and the store's spelling.
inline constexpr std::string_view kActionSettlement = "settlement";
inline constexpr std::string_view kActionPaymentCode = "payment_code";
inline constexpr std::string_view kActionContribution = "contribution";
inline constexpr std::string_view kActionNewChannel = "new_channel";  // issuance elsewhere
inline constexpr std::string_view kActionPasswordReset = "password_reset";
inline constexpr std::string_view kActionSession = "session";
inline constexpr std::string_view kActionFamilyAdd = "family_add";
inline constexpr std::string_view kActionChannelRevoke = "channel_revoke";

// A decision other than allow (R-K1).
inline constexpr std::string_view kDecisionStepUp = "step_up";
inline constexpr std::string_view kDecisionDeny = "deny";

// The rule ids decisions and cases name (API.md "Risk control").
inline constexpr std::string_view kRuleAccountTakeover = "ACCOUNT_TAKEOVER";         // R-K2
inline constexpr std::string_view kRuleSettlementsPerHour = "SETTLEMENTS_PER_HOUR";  // R-K3
inline constexpr std::string_view kRuleInstitutionsPerDay = "INSTITUTIONS_PER_DAY";  // R-K3
inline constexpr std::string_view kRuleNotMe = "NOT_ME";                             // R-K5
// R-K1's refusals: the same action repeated past what a cardholder ever needs.
inline constexpr std::string_view kRulePasswordResetsPerDay = "PASSWORD_RESETS_PER_DAY";
inline constexpr std::string_view kRuleNewChannelsPerDay = "NEW_CHANNELS_PER_DAY";
inline constexpr std::string_view kRuleSessionsPerHour = "SESSIONS_PER_HOUR";

// What opens R-K2's window: "password_reset" | "new_channel" | "reserved_phone_change".
struct RiskSignal {
  std::int64_t at_ms = 0;
  std::string kind;
};

// What R-K2 and R-K3 read of one cardholder, inside the write of the action they guard.
struct RiskFigures {
  std::optional<RiskSignal> latest_signal;
  std::int64_t bank_amount_fen = 0;        // money leaving the bank account in this action
  bool changes_account = false;            // adds a family member or revokes a channel
  std::int64_t settlements_last_hour = 0;  // before this one
  std::int64_t institutions_today = 0;     // distinct, before this one
  bool institution_is_new_today = true;    // false when the action's institution is counted
  std::int64_t repeats = 0;  // the same action within its repeat limit's window, before this one
};

// When a passed step-up last cleared each rule (R-K1: it clears the rules that asked).
struct StepUpsPassed {
  std::optional<std::int64_t> takeover_at_ms;
  std::optional<std::int64_t> settlements_per_hour_at_ms;
  std::optional<std::int64_t> institutions_per_day_at_ms;
};

// The rules that ask for a step-up now, in a fixed order; empty means allow.
std::vector<std::string> step_up_rules(const RiskThresholds& t, const RiskFigures& f,
                                       const StepUpsPassed& passed, std::int64_t now_ms);

// An action R-K1 refuses once repeated too often, with how long its count looks back.
struct RepeatLimit {
  std::string_view rule;
  std::int64_t window_ms = 0;
  std::int64_t max = 0;
};

// The action's repeat limit under `t`, if it has one: a password reset, an issuance in
// another channel, a session.
std::optional<RepeatLimit> repeat_limit(const RiskThresholds& t, std::string_view action);

// The rule that denies the action outright, if any: its repeat limit reached. A step-up
// does not clear it; only time does, as the count falls.
std::optional<std::string> deny_rule(const RiskThresholds& t, std::string_view action,
                                     const RiskFigures& f);

// What the rules saw, for the decision's record and the auditors: figures, never a
// threshold (a refusal must not reveal one) and nothing personal.
std::string describe(const RiskFigures& f);

enum class RiskEventStatus { kOpen, kCleared, kNotMe };

// "open" | "cleared" | "not_me": the API's and the store's spelling.
std::string_view to_string(RiskEventStatus status);
std::optional<RiskEventStatus> parse_risk_event_status(std::string_view text);

// A decision other than allow (R-K1): recorded, told to the cardholder, answerable with
// a step-up or with "not me".
struct RiskEvent {
  std::string risk_id;
  std::int64_t person_id = 0;
  std::string client_id;  // who asked for the action: a channel or an institution
  std::string action;     // one of the kAction… spellings
  std::string decision;   // "step_up" | "deny"
  std::vector<std::string> rules;
  std::string figures;  // describe(): what the rules saw
  RiskEventStatus status = RiskEventStatus::kOpen;
  std::int64_t at_ms = 0;
  std::optional<std::int64_t> resolved_at_ms;  // when cleared or answered "not me"
};

}  // namespace essc::domain
