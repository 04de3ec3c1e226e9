// Contributions paid from the card's bank account with the e-card (R-U5): level 2 only,
// the password every time, a period the insured region's policy has open, the bank
// debited under a reference derived from (person, insurance, period), so a retry never
// pays twice.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "common/clock.hpp"
#include "domain/client.hpp"
#include "domain/period.hpp"
#include "services/bank_transfers.hpp"
#include "services/ecards.hpp"
#include "services/notifier.hpp"
#include "services/settlements.hpp"
#include "store/database.hpp"
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
  bool replayed = false;  // the period was paid before with the same amount: nothing moved
};

// One period a cardholder may pay now, with the policy's amount.
struct DuePeriod {
  domain::ContributionKind kind;
  domain::Period period;
  std::int64_t amount_fen = 0;
  bool paid = false;
};

class ContributionService {
 public:
  // `settlements` holds the regions' policies.
  ContributionService(const Clock& clock, store::Database& db, const Notifier& notifier,
                      BankTransfers& transfers, EcardService& ecards,
                      const SettlementService& settlements)
      : clock_(clock),
        db_(db),
        notifier_(notifier),
        transfers_(transfers),
        ecards_(ecards),
        settlements_(settlements) {}
  Result<ContributionOutcome> pay(const domain::Client& client, std::string_view binding_id,
                                  const NewContribution& request);
  // The periods open for payment today under the cardholder's region policy, paid or not.
  Result<std::vector<DuePeriod>> due(const domain::Client& client, std::string_view binding_id);

 private:
  struct Payment;
  Result<std::shared_ptr<const domain::RegionPolicy>> policy_of(const BindingView& holder) const;
  // R-U5: at most limits::kBankFundsRefusalsPerPersonPerDayMax refusals for want of funds a
  // day: a debit takes one of them before the bank answers and gives it back when paid.
  Status reserve_funds_answer(const Payment& p);
  void give_back_funds_answer(const Payment& p);
  Result<ContributionOutcome> debit_and_record(const Payment& p);

  const Clock& clock_;
  store::Database& db_;
  const Notifier& notifier_;
  BankTransfers& transfers_;
  EcardService& ecards_;
  const SettlementService& settlements_;
};

}  // namespace essc::services
