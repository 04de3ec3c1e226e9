// A cardholder's side of risk control (R-K1, R-K5): the decisions taken about them, and
// "not me" (不是我本人), which reports the card lost and opens a case for the auditors.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/result.hpp"
#include "domain/client.hpp"
#include "domain/risk.hpp"
#include "services/context.hpp"
#include "services/ecards.hpp"

namespace essc::services {

class RiskEvents {
 public:
  RiskEvents(Context& context, EcardService& ecards) : ctx_(context), ecards_(ecards) {}

  // The cardholder's decisions, newest first.
  std::vector<domain::RiskEvent> of(const BindingView& holder);
  // R-K5: with the e-card password, the card is reported lost (R-L1; one already lost
  // stays so) and a case opens; the decision is answered "not me". Returns the case id.
  Result<std::string> not_me(const domain::Client& client, const BindingView& holder,
                             std::string_view risk_id, std::string_view password);

 private:
  Context& ctx_;
  EcardService& ecards_;
};

}  // namespace essc::services
