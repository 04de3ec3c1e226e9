// Risk control's review cases (R-K4, R-K6): a rule or a cardholder's "not me" opens one
// inside the write it guards; the fund's auditors page through them, with the person
// masked, and close each as fraud or legitimate. Every step is audited.
//
// Thread safety: every method may be called from any thread.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/clock.hpp"
#include "crypto/pii_vault.hpp"
#include "domain/risk_case.hpp"
#include "services/context.hpp"
#include "store/database.hpp"

namespace essc::services {

// REQUIRES: in the write transaction of the action that opens it. Gives `r` its id and
// audits the opening under `actor`; returns the id.
std::string open_risk_case(store::Connection& c, domain::RiskCase r, std::string_view actor);

struct CaseView {
  domain::RiskCase record;
  std::string name_masked;
  std::string id_number_masked;
};

struct CasePage {
  std::vector<CaseView> items;
  std::optional<std::string> next_cursor;
};

class RiskCases {
 public:
  RiskCases(const Clock& clock, store::Database& db, const crypto::PiiVault& vault)
      : clock_(clock), db_(db), vault_(vault) {}

  // `status` "open" | "closed"; `cursor` the previous page's next_cursor.
  Result<CasePage> list(std::string_view status, std::int64_t limit,
                        const std::optional<std::string>& cursor);
  // `outcome` "fraud" | "legitimate"; a closed case is 409 CONFLICT.
  Result<CaseView> close(const Actor& auditor, std::string_view case_id, std::string_view outcome,
                         std::string_view note);

 private:
  CaseView view(store::Connection& c, domain::RiskCase r) const;

  const Clock& clock_;
  store::Database& db_;
  const crypto::PiiVault& vault_;
};

}  // namespace essc::services
