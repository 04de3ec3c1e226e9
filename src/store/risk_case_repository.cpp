#include "store/risk_case_repository.hpp"

namespace essc::store {
namespace {

#define ESSC_CASE_COLUMNS                                                                   \
  "case_id, opened_at_ms, rule, risk_id, settlement_id, person_id, detail, outcome, note, " \
  "closed_at_ms, closed_by"

constexpr char kInsert[] = "INSERT INTO risk_cases (" ESSC_CASE_COLUMNS
                           ", status) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'open')";
constexpr char kFind[] = "SELECT " ESSC_CASE_COLUMNS " FROM risk_cases WHERE case_id = ?";
constexpr char kPage[] = "SELECT " ESSC_CASE_COLUMNS
                         " FROM risk_cases WHERE status = ? ORDER BY opened_at_ms DESC, "
                         "case_id DESC LIMIT ?";
constexpr char kPageBefore[] =
    "SELECT " ESSC_CASE_COLUMNS
    " FROM risk_cases WHERE status = ? AND (opened_at_ms < ? OR (opened_at_ms = ? AND case_id "
    "< ?)) ORDER BY opened_at_ms DESC, case_id DESC LIMIT ?";
#undef ESSC_CASE_COLUMNS
constexpr char kClose[] =
    "UPDATE risk_cases SET status = 'closed', outcome = ?, note = ?, closed_at_ms = ?, "
    "closed_by = ? WHERE case_id = ? AND status = 'open' RETURNING case_id";

std::string status_of(bool open) { return open ? "open" : "closed"; }

domain::RiskCase from_row(const Statement& s) {
  domain::RiskCase r;
  r.case_id = s.text(0);
  r.opened_at_ms = s.int64(1);
  r.rule = s.text(2);
  r.risk_id = s.optional_text(3);
  r.settlement_id = s.optional_text(4);
  r.person_id = s.int64(5);
  r.detail = s.text(6);
  if (const auto outcome = s.optional_text(7)) r.outcome = domain::parse_case_outcome(*outcome);
  r.note = s.optional_text(8);
  r.closed_at_ms = s.optional_int64(9);
  r.closed_by = s.optional_text(10);
  return r;
}

std::optional<std::string> outcome_text(const domain::RiskCase& r) {
  if (!r.outcome) return std::nullopt;
  return std::string(domain::to_string(*r.outcome));
}

}  // namespace

void insert_risk_case(Connection& c, const domain::RiskCase& r) {
  c.prepare(kInsert)
      .bind_all(r.case_id, r.opened_at_ms, r.rule, r.risk_id, r.settlement_id, r.person_id,
                r.detail, outcome_text(r), r.note, r.closed_at_ms, r.closed_by)
      .run();
}

std::optional<domain::RiskCase> find_risk_case(Connection& c, std::string_view case_id) {
  return c.prepare(kFind).bind_all(case_id).first(from_row);
}

std::vector<domain::RiskCase> risk_cases(Connection& c, const CasePageQuery& q) {
  auto& s = q.before ? c.prepare(kPageBefore)
                           .bind_all(status_of(q.open), q.before->first, q.before->first,
                                     q.before->second, q.limit)
                     : c.prepare(kPage).bind_all(status_of(q.open), q.limit);
  std::vector<domain::RiskCase> out;
  while (s.step()) out.push_back(from_row(s));
  return out;
}

bool close_risk_case(Connection& c, const domain::RiskCase& closed) {
  return c.prepare(kClose)
      .bind_all(outcome_text(closed), closed.note, closed.closed_at_ms, closed.closed_by,
                closed.case_id)
      .first([](const Statement&) { return true; })
      .has_value();
}

}  // namespace essc::store
