#include "store/stats_repository.hpp"

namespace essc::store {
namespace {

constexpr char kIssuances[] =
    "SELECT b.client_id, COALESCE(c.name, b.client_id), b.level, b.created_at_ms FROM bindings b "
    "LEFT JOIN clients c ON c.client_id = b.client_id WHERE b.created_at_ms >= ? AND "
    "b.created_at_ms < ? "
    "ORDER BY b.created_at_ms";
constexpr char kLive[] =
    "SELECT status, COUNT(*) FROM bindings WHERE status <> 'unlinked' GROUP BY status ORDER BY "
    "status";
// CAST: PostgreSQL's SUM of a BIGINT is a NUMERIC.
constexpr char kSettled[] =
    "SELECT day, visit, COUNT(*), CAST(SUM(total_fen) AS BIGINT), CAST(SUM(fund_fen) AS BIGINT), "
    "CAST(SUM(account_fen) AS BIGINT), CAST(SUM(self_pay_fen) AS BIGINT) FROM settlements "
    "WHERE day >= ? AND day <= ? AND refunded_at_ms IS NULL GROUP BY day, visit ORDER BY day, "
    "visit";
constexpr char kRefusals[] =
    "SELECT outcome, at_ms FROM audit_entries WHERE at_ms >= ? AND at_ms < ? AND outcome <> 'ok' "
    "ORDER "
    "BY at_ms";
constexpr char kRiskCases[] =
    "SELECT rule, opened_at_ms FROM risk_cases WHERE opened_at_ms >= ? AND opened_at_ms < ? "
    "ORDER BY opened_at_ms";
constexpr char kRiskDecisions[] =
    "SELECT rules, at_ms FROM risk_events WHERE at_ms >= ? AND at_ms < ? ORDER BY at_ms";
constexpr char kFamily[] =
    "SELECT created_at_ms FROM family_members WHERE created_at_ms >= ? AND created_at_ms < ? ORDER "
    "BY created_at_ms";

}  // namespace

std::vector<IssuanceRow> issuances_between(Connection& c, std::int64_t from_ms,
                                           std::int64_t to_ms) {
  std::vector<IssuanceRow> out;
  auto& s = c.prepare(kIssuances).bind_all(from_ms, to_ms);
  while (s.step()) out.push_back({s.text(0), s.text(1), s.int64(2), s.int64(3)});
  return out;
}

std::vector<std::pair<std::string, std::int64_t>> live_bindings_by_status(Connection& c) {
  std::vector<std::pair<std::string, std::int64_t>> out;
  auto& s = c.prepare(kLive);
  while (s.step()) out.emplace_back(s.text(0), s.int64(1));
  return out;
}

std::vector<SettlementDayRow> settlements_by_day(Connection& c, std::string_view from_day,
                                                 std::string_view to_day) {
  std::vector<SettlementDayRow> out;
  auto& s = c.prepare(kSettled).bind_all(from_day, to_day);
  while (s.step())
    out.push_back(
        {s.text(0), s.text(1), s.int64(2), s.int64(3), s.int64(4), s.int64(5), s.int64(6)});
  return out;
}

std::vector<OutcomeRow> refusals_between(Connection& c, std::int64_t from_ms, std::int64_t to_ms) {
  std::vector<OutcomeRow> out;
  auto& s = c.prepare(kRefusals).bind_all(from_ms, to_ms);
  while (s.step()) out.push_back({s.text(0), s.int64(1)});
  return out;
}

std::vector<RiskRuleRow> risk_cases_between(Connection& c, std::int64_t from_ms,
                                            std::int64_t to_ms) {
  std::vector<RiskRuleRow> out;
  auto& s = c.prepare(kRiskCases).bind_all(from_ms, to_ms);
  while (s.step()) out.push_back({s.text(0), s.int64(1)});
  return out;
}

std::vector<RiskRuleRow> risk_decisions_between(Connection& c, std::int64_t from_ms,
                                                std::int64_t to_ms) {
  std::vector<RiskRuleRow> out;
  auto& s = c.prepare(kRiskDecisions).bind_all(from_ms, to_ms);
  while (s.step()) {
    const auto rules = s.text(0);
    const auto at_ms = s.int64(1);
    std::size_t from = 0;
    while (from < rules.size()) {  // stored comma-joined
      auto comma = rules.find(',', from);
      if (comma == std::string::npos) comma = rules.size();
      out.push_back({rules.substr(from, comma - from), at_ms});
      from = comma + 1;
    }
  }
  return out;
}

std::vector<std::int64_t> family_added_between(Connection& c, std::int64_t from_ms,
                                               std::int64_t to_ms) {
  std::vector<std::int64_t> out;
  auto& s = c.prepare(kFamily).bind_all(from_ms, to_ms);
  while (s.step()) out.push_back(s.int64(0));
  return out;
}

}  // namespace essc::store
