#include "services/risk_control.hpp"

#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

#include "common/clock.hpp"
#include "crypto/random.hpp"
#include "services/notifier.hpp"
#include "store/audit_log.hpp"
#include "store/ecard_repository.hpp"
#include "store/record_repository.hpp"
#include "store/risk_event_repository.hpp"

namespace essc::services {
namespace {

constexpr std::int64_t kMsPerHour = 3'600'000;
// How long an open decision answers the same action again instead of a new one.
constexpr std::int64_t kStepUpRepeatWindowMs = std::int64_t{10} * 60'000;

domain::RiskFigures figures(store::Connection& c, const RiskQuestion& q,
                            const domain::RiskThresholds& t) {
  domain::RiskFigures f;
  // Only money above the amount opens the takeover rule: most settlements skip the read.
  if (q.bank_amount_fen > t.takeover_amount_fen)
    f.latest_signal = store::latest_risk_signal(c, q.person_id);
  f.bank_amount_fen = q.bank_amount_fen;
  if (!q.velocity) {
    f.institution_is_new_today = false;
    return f;
  }
  f.settlements_last_hour =
      store::settlements_of_person_since(c, q.person_id, q.now_ms - kMsPerHour);
  const auto institutions =
      store::institutions_of_person_on(c, q.person_id, format_cst_date(q.now_ms));
  f.institutions_today = static_cast<std::int64_t>(institutions.size());
  f.institution_is_new_today =
      !q.at_institution ||
      std::find(institutions.begin(), institutions.end(), q.client_id) == institutions.end();
  return f;
}

}  // namespace

std::optional<StepUp> step_up_needed(store::Connection& c, const RiskQuestion& q,
                                     const domain::RiskThresholds& thresholds) {
  const auto seen = figures(c, q, thresholds);
  // The step-ups passed matter only when a rule would ask: the common case reads none.
  if (domain::step_up_rules(thresholds, seen, {}, q.now_ms).empty()) return std::nullopt;
  const domain::StepUpsPassed passed{
      store::last_step_up_passed(c, q.person_id, domain::kRuleAccountTakeover),
      store::last_step_up_passed(c, q.person_id, domain::kRuleSettlementsPerHour),
      store::last_step_up_passed(c, q.person_id, domain::kRuleInstitutionsPerDay)};
  auto rules = domain::step_up_rules(thresholds, seen, passed, q.now_ms);
  if (rules.empty()) return std::nullopt;
  domain::RiskEvent e;
  e.risk_id = "rk_" + crypto::random_token(12);
  e.person_id = q.person_id;
  e.client_id = q.client_id;
  e.action = std::string(q.action);
  e.decision = "step_up";
  e.rules = std::move(rules);
  e.figures = domain::describe(seen);
  e.at_ms = q.now_ms;
  return StepUp{std::move(e), q.ecard_id};
}

Error step_up_required(const StepUp& s) {
  return Error(ErrorCode::kRiskStepUpRequired, s.event.figures);
}

Error record_step_up(Context& ctx, const StepUp& s) {
  const auto& e = s.event;
  auto risk_id = ctx.db.write<std::string>([&](store::Connection& c) -> Result<std::string> {
    for (const auto& earlier : store::risk_events_of_person(c, e.person_id, 5)) {
      if (earlier.status == domain::RiskEventStatus::kOpen && earlier.action == e.action &&
          earlier.at_ms >= e.at_ms - kStepUpRepeatWindowMs)
        return earlier.risk_id;
    }
    store::insert_risk_event(c, e);
    std::string rules;
    for (const auto& rule : e.rules) rules += (rules.empty() ? "" : ",") + rule;
    store::append_audit(c, e.at_ms, "platform", "risk.step_up", e.risk_id, rules, e.person_id);
    store::insert_auth_event(c, e.person_id, e.client_id, "risk", "RISK_STEP_UP_REQUIRED", e.at_ms);
    const auto person = ctx.persons.find(c, e.person_id);
    if (person)
      announce(c, ctx, *person, EcardEvent::kStepUpRequired, store::live_bindings(c, s.ecard_id),
               e.at_ms, e.risk_id);
    return e.risk_id;
  });
  if (!risk_id) return std::move(risk_id).error();
  Error answer(ErrorCode::kRiskStepUpRequired, e.figures);
  answer.extras.risk_id = std::move(*risk_id);
  answer.extras.methods = {"face", "sms"};
  return answer;
}

}  // namespace essc::services
