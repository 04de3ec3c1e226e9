// A cardholder's side of risk control (R-K1, R-K5): the decisions taken about them, and
// "not me" (不是我本人), which reports the card lost and opens a case for the auditors.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "common/clock.hpp"
#include "common/result.hpp"
#include "domain/client.hpp"
#include "domain/risk.hpp"
#include "domain/risk_case.hpp"
#include "services/ecards.hpp"
#include "store/database.hpp"
#include "store/sql.hpp"

namespace essc::services {

class RiskEvents {
 public:
  RiskEvents(const Clock& clock, store::Database& db, EcardService& ecards)
      : clock_(clock), db_(db), ecards_(ecards) {}

  // The cardholder's decisions, newest first.
  std::vector<domain::RiskEvent> of(const BindingView& holder);
  // R-K5: with the e-card password, the card is reported lost (R-L1; one already lost
  // stays so) and a case opens; the decision is answered "not me". Returns the case id.
  Result<std::string> not_me(const domain::Client& client, const BindingView& holder,
                             std::string_view risk_id, std::string_view password);
  // R-K5: the same for a use in the authentication history (records kind "auth"), by its
  // event_id; another person's use answers NOT_FOUND, one answered before CONFLICT.
  Result<std::string> not_me_to_use(const domain::Client& client, const BindingView& holder,
                                    std::int64_t event_id, std::string_view password);

 private:
  // Inside the write: marks what is answered (CONFLICT when it was already) and returns
  // the case to open, its evidence filled in.
  using Answer = std::function<Result<domain::RiskCase>(store::Connection&, std::int64_t now_ms)>;
  // The loss report with `password`, then one write: `answer`, the case, and the audit
  // entry naming `subject`. Returns the case id.
  Result<std::string> answer_not_me(const domain::Client& client, const BindingView& holder,
                                    std::string_view password, std::string_view subject,
                                    const Answer& answer);

  const Clock& clock_;
  store::Database& db_;
  EcardService& ecards_;
};

}  // namespace essc::services
