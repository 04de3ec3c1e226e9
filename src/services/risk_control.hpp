// Risk control's step-up (R-K1…R-K3): the rules of the cardholder's insured region are
// read inside the write of the action they guard, so a burst of actions, on one server or
// several, cannot slip past them. A step-up answers RISK_STEP_UP_REQUIRED: the action's
// write rolls back (a payment code stays unused) and the decision is recorded in a write
// of its own; a face or SMS check with purpose "step_up" then clears it.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/error.hpp"
#include "domain/risk.hpp"
#include "services/context.hpp"
#include "store/sql.hpp"

namespace essc::services {

// What the rules are asked about.
struct RiskQuestion {
  std::int64_t person_id = 0;
  std::int64_t ecard_id = 0;
  std::string client_id;    // the institution settling, or the channel asking for a code
  std::string_view action;  // "settlement" | "payment_code" | "contribution"
  std::int64_t bank_amount_fen = 0;
  bool at_institution = false;  // whether the client is counted among the day's institutions
  std::int64_t now_ms = 0;
  bool velocity = true;  // R-K3 guards settlements and their codes, not contributions
};

// A decision to step up, to record once the action's write has rolled back.
struct StepUp {
  domain::RiskEvent event;
  std::int64_t ecard_id = 0;
};

// The decision of the region's rules. REQUIRES: inside the action's write, under the
// person's row lock where the store has one.
std::optional<StepUp> step_up_needed(store::Connection& c, const RiskQuestion& q,
                                     const domain::RiskThresholds& thresholds);

// 422 RISK_STEP_UP_REQUIRED without its risk_id: the answer inside the action's write.
Error step_up_required(const StepUp& s);

// R-K1: the decision enters the store, the cardholder's inbox and authentication history,
// and every live channel of the e-card hears of it (webhook ecard.step_up_required). An
// open decision on the same action from the last minutes is answered again instead, so a
// code refreshing or a till retrying tells the cardholder once. Returns the answer:
// RISK_STEP_UP_REQUIRED with the decision's risk_id and the checks that clear it.
Error record_step_up(Context& ctx, const StepUp& s);

// What opens R-K2's window. REQUIRES: inside the write of the change it names.
inline constexpr std::string_view kSignalPasswordReset = "password_reset";
inline constexpr std::string_view kSignalNewChannel = "new_channel";
inline constexpr std::string_view kSignalReservedPhoneChange = "reserved_phone_change";

}  // namespace essc::services
