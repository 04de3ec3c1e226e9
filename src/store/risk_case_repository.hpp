// Risk control's review cases (R-K6), newest first for the auditors' pages.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "domain/risk_case.hpp"
#include "store/sql.hpp"

namespace essc::store {

void insert_risk_case(Connection& c, const domain::RiskCase& r);
std::optional<domain::RiskCase> find_risk_case(Connection& c, std::string_view case_id);
// Open or closed cases opened before the cursor (`before_ms`, `before_id`: the last case of
// the previous page), newest first.
struct CasePageQuery {
  bool open = true;
  std::optional<std::pair<std::int64_t, std::string>> before;
  std::int64_t limit = 50;
};
std::vector<domain::RiskCase> risk_cases(Connection& c, const CasePageQuery& q);
// false when the case was already closed.
bool close_risk_case(Connection& c, const domain::RiskCase& closed);

}  // namespace essc::store
