#include "services/risk_cases.hpp"

#include "common/limits.hpp"
#include "common/masking.hpp"
#include "crypto/random.hpp"
#include "store/audit_log.hpp"
#include "store/person_repository.hpp"
#include "store/risk_case_repository.hpp"

namespace essc::services {
namespace {

// "<opened_at_ms>.<case_id>" of a page's last case.
std::string cursor_of(const domain::RiskCase& r) {
  return std::to_string(r.opened_at_ms) + "." + r.case_id;
}

std::optional<std::pair<std::int64_t, std::string>> parse_cursor(std::string_view text) {
  const auto dot = text.find('.');
  // At most 18 digits: no overflow of an int64_t.
  if (dot == std::string_view::npos || dot == 0 || dot > 18) return std::nullopt;
  std::int64_t at_ms = 0;
  for (const char ch : text.substr(0, dot)) {
    if (ch < '0' || ch > '9') return std::nullopt;
    at_ms = at_ms * 10 + (ch - '0');
  }
  return std::pair{at_ms, std::string(text.substr(dot + 1))};
}

}  // namespace

std::string open_risk_case(store::Connection& c, domain::RiskCase r, std::string_view actor) {
  r.case_id = "case_" + crypto::random_token(12);
  store::append_audit(c, r.opened_at_ms, actor, "risk.case.open", r.case_id, r.rule, r.person_id);
  store::insert_risk_case(c, r);
  return r.case_id;
}

CaseView RiskCases::view(store::Connection& c, domain::RiskCase r) const {
  const auto person = store::find_person(c, vault_, r.person_id);
  ESSC_INVARIANT(person);
  return {std::move(r), mask_name(person->name), mask_id_number(person->id_number)};
}

Result<CasePage> RiskCases::list(std::string_view status, std::int64_t limit,
                                 const std::optional<std::string>& cursor) {
  if (status != "open" && status != "closed") return Error::invalid_field("status");
  store::CasePageQuery query{status == "open", std::nullopt, limit};
  if (cursor) {
    query.before = parse_cursor(*cursor);
    if (!query.before) return Error::invalid_field("cursor");
  }
  return db_.read([&](store::Connection& c) {
    CasePage page;
    for (auto& r : store::risk_cases(c, query)) page.items.push_back(view(c, std::move(r)));
    if (static_cast<std::int64_t>(page.items.size()) == limit)
      page.next_cursor = cursor_of(page.items.back().record);
    return page;
  });
}

Result<CaseView> RiskCases::close(const Actor& auditor, std::string_view case_id,
                                  std::string_view outcome, std::string_view note) {
  const auto parsed = domain::parse_case_outcome(outcome);
  if (!parsed) return Error::invalid_field("outcome");
  if (note.size() > limits::kTextBytesMax) return Error::invalid_field("note");
  const auto now = clock_.now_ms();
  return db_.write<CaseView>([&](store::Connection& c) -> Result<CaseView> {
    auto r = store::find_risk_case(c, case_id);
    if (!r) return Error(ErrorCode::kNotFound);
    if (!r->open()) return Error(ErrorCode::kConflict, "the case is closed");
    r->outcome = parsed;
    r->note = std::string(note);
    r->closed_at_ms = now;
    r->closed_by = auditor.audit_name;
    ESSC_INVARIANT(store::close_risk_case(c, *r));
    store::append_audit(c, now, auditor.audit_name, "risk.case.close", r->case_id,
                        std::string(outcome), r->person_id);
    return view(c, std::move(*r));
  });
}

}  // namespace essc::services
