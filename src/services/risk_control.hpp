// Risk control (R-K1…R-K3): the rules of the cardholder's insured region are read inside
// the write of the action they guard, so a burst of actions, on one server or several,
// cannot slip past them. A decision other than allow rolls the action's write back (a
// payment code stays unused) and is recorded in a write of its own: RISK_STEP_UP_REQUIRED,
// which a face or SMS check with purpose "step_up" then clears, or RISK_DENIED.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/error.hpp"
#include "domain/risk.hpp"
#include "services/notifier.hpp"
#include "services/region_policies.hpp"
#include "store/database.hpp"
#include "store/sql.hpp"

namespace essc::services {

// What the rules are asked about.
struct RiskQuestion {
  std::int64_t person_id = 0;
  std::int64_t ecard_id = 0;
  std::string client_id;    // the institution settling, or the channel asking for a code
  std::string_view action;  // one of domain's kAction… spellings
  std::int64_t bank_amount_fen = 0;
  bool at_institution = false;  // whether the client is counted among the day's institutions
  std::int64_t now_ms = 0;
  bool velocity = true;  // R-K3 guards settlements and their codes, not contributions

  // An action on the account itself: no money leaves and no institution counts.
  static RiskQuestion on_account(std::int64_t person_id, std::int64_t ecard_id,
                                 std::string client_id, std::string_view action,
                                 std::int64_t now_ms) {
    return {.person_id = person_id,
            .ecard_id = ecard_id,
            .client_id = std::move(client_id),
            .action = action,
            .now_ms = now_ms,
            .velocity = false};
  }
};

// A decision other than allow, to record once the action's write has rolled back.
struct RiskDecision {
  domain::RiskEvent event;
  std::int64_t ecard_id = 0;
};

// The thresholds of the region, or the defaults where it has no policy file: the rules
// that guard the account itself apply to every cardholder.
domain::RiskThresholds risk_thresholds(const RegionPolicies& policies,
                                       std::string_view region_code);

// The decision of the region's rules; none means allow. A repeat limit reached denies;
// otherwise the step-up rules decide. REQUIRES: inside the action's write, under the
// person's row lock where the store has one.
std::optional<RiskDecision> risk_decision(store::Connection& c, const RiskQuestion& q,
                                          const domain::RiskThresholds& thresholds);

// The reads risk_decision() makes for every question with velocity (R-K3), sent ahead of
// it in the action's write (store::Statement::send_ahead()).
void send_velocity_reads_ahead(store::Connection& c, const RiskQuestion& q);

// RISK_STEP_UP_REQUIRED or RISK_DENIED.
ErrorCode refusal_code(const RiskDecision& d);

// The refusal without its risk_id: the answer inside the action's write, which rolls it
// back.
Error refusal_inside_write(const RiskDecision& d);

// R-K1: the decision enters the store, the cardholder's inbox and authentication history;
// every live channel of the e-card hears of a step-up (webhook ecard.step_up_required).
// An open decision of the same kind on the same action from the last minutes is answered
// again instead, so a code refreshing or a till retrying tells the cardholder once.
// Returns the answer: RISK_STEP_UP_REQUIRED with the decision's risk_id and the checks
// that clear it, or RISK_DENIED with its risk_id.
Error record_decision(store::Database& db, const Notifier& notifier, const RiskDecision& d);

// Risk control around an action's write: check() inside it, settle() after.
class RiskGate {
 public:
  RiskGate(store::Database& db, const Notifier& notifier) : db_(db), notifier_(notifier) {}

  // Inside the write (once per attempt): the refusal that rolls it back, when the rules
  // do not allow the action.
  Status check(store::Connection& c, const RiskQuestion& q,
               const domain::RiskThresholds& thresholds) {
    decision_ = risk_decision(c, q, thresholds);
    if (decision_) return refusal_inside_write(*decision_);
    return {};
  }

  // After the write: a refused action's decision recorded and answered; any other
  // outcome as it came (an attempt retried after a refusal may have failed otherwise).
  template <class T>
  Result<T> settle(Result<T> outcome) {
    if (!outcome && decision_ && outcome.error().code == refusal_code(*decision_))
      return record_decision(db_, notifier_, *decision_);
    return outcome;
  }

 private:
  store::Database& db_;
  const Notifier& notifier_;
  std::optional<RiskDecision> decision_;
};

// What opens R-K2's window. REQUIRES: inside the write of the change it names. A signal
// of an action with a repeat limit shares the action's spelling, so that limit counts it.
inline constexpr std::string_view kSignalPasswordReset = domain::kActionPasswordReset;
inline constexpr std::string_view kSignalNewChannel = domain::kActionNewChannel;
inline constexpr std::string_view kSignalReservedPhoneChange = "reserved_phone_change";

}  // namespace essc::services
