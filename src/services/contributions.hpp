// Contributions paid from the card's bank account with the e-card (R-U5): level 2 only,
// the password every time, the bank debited under a reference derived from (person,
// insurance, period), so a retry never pays twice.
#pragma once

#include <string>

#include "domain/client.hpp"
#include "services/ecards.hpp"
#include "store/record_repository.hpp"

namespace essc::services {

struct NewContribution {
  std::string password;
  std::string insurance;  // resident_medical | flexible_pension
  std::string period;     // YYYY (a year of resident insurance) or YYYY-MM
  std::int64_t amount_fen = 0;
};

struct ContributionOutcome {
  store::ContributionRecord contribution;
  bool replayed = false;
};

class ContributionService {
 public:
  ContributionService(Context& context, EcardService& ecards) : ctx_(context), ecards_(ecards) {}
  Result<ContributionOutcome> pay(const domain::Client& client, std::string_view binding_id,
                                  const NewContribution& request);

 private:
  Context& ctx_;
  EcardService& ecards_;
};

}  // namespace essc::services
