// What GET /v1/stats counts (the platform's operators' dashboard): rows of a time range,
// bucketed by China Standard Time day by the service. Read-only.
#pragma once

#include <string>
#include <vector>

#include "store/sql.hpp"

namespace essc::store {

struct IssuanceRow {
  std::string channel_id;
  std::string channel_name;
  std::int64_t level = 1;
  std::int64_t at_ms = 0;
};

struct SettlementDayRow {
  std::string day;
  std::string visit;
  std::int64_t count = 0;
  std::int64_t total_fen = 0;
  std::int64_t fund_fen = 0;
  std::int64_t account_fen = 0;
  std::int64_t self_pay_fen = 0;
};

struct OutcomeRow {
  std::string outcome;
  std::int64_t at_ms = 0;
};

// Bindings made in [from_ms, to_ms), with their channel and present level.
std::vector<IssuanceRow> issuances_between(Connection& c, std::int64_t from_ms, std::int64_t to_ms);
// Bindings not unlinked, by status.
std::vector<std::pair<std::string, std::int64_t>> live_bindings_by_status(Connection& c);
// Settlements not refunded of the days from..to (YYYY-MM-DD, inclusive), by day and visit.
std::vector<SettlementDayRow> settlements_by_day(Connection& c, std::string_view from_day,
                                                 std::string_view to_day);
// Audit entries in [from_ms, to_ms) whose outcome is not "ok".
std::vector<OutcomeRow> refusals_between(Connection& c, std::int64_t from_ms, std::int64_t to_ms);
// A rule of risk control and when it acted.
struct RiskRuleRow {
  std::string rule;
  std::int64_t at_ms = 0;
};
// The review cases risk control opened in [from_ms, to_ms), by rule (R-K6).
std::vector<RiskRuleRow> risk_cases_between(Connection& c, std::int64_t from_ms,
                                            std::int64_t to_ms);
// The step-up decisions of [from_ms, to_ms): a row for each rule a decision named (R-K1).
std::vector<RiskRuleRow> risk_decisions_between(Connection& c, std::int64_t from_ms,
                                                std::int64_t to_ms);
// When each family membership of [from_ms, to_ms) was made.
std::vector<std::int64_t> family_added_between(Connection& c, std::int64_t from_ms,
                                               std::int64_t to_ms);

}  // namespace essc::store
