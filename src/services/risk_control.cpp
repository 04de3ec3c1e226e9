#include "services/risk_control.hpp"

#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

#include "common/clock.hpp"
#include "crypto/random.hpp"
#include "store/audit_log.hpp"
#include "store/ecard_repository.hpp"
#include "store/record_repository.hpp"
#include "store/risk_event_repository.hpp"

namespace essc::services {
namespace {

constexpr std::int64_t kMsPerHour = 3'600'000;
// How long an open decision answers the same action again instead of a new one.
constexpr std::int64_t kAnswerAgainWindowMs = std::int64_t{10} * 60'000;

bool changes_account(std::string_view action) {
  return action == domain::kActionFamilyAdd || action == domain::kActionChannelRevoke;
}

// The same action within its repeat limit's window. A password reset and an issuance in
// another channel are counted by the R-K2 signals they leave, which share their spelling.
std::int64_t repeats(store::Connection& c, const RiskQuestion& q, const domain::RepeatLimit& l) {
  const auto after = q.now_ms - l.window_ms;
  if (q.action == domain::kActionSession)
    return store::sessions_opened_after(c, q.person_id, after);
  return store::risk_signals_after(c, q.person_id, q.action, after);
}

domain::RiskFigures figures(store::Connection& c, const RiskQuestion& q,
                            const domain::RiskThresholds& t) {
  domain::RiskFigures f;
  f.changes_account = changes_account(q.action);
  // Only money above the amount or an account change opens the takeover rule: most
  // settlements skip the read. An account change is asked about after a changed
  // credential only: a new channel passed a full check and the password to get the
  // e-card, and its cardholder often adds a child or drops an old app the same day.
  if (q.bank_amount_fen > t.takeover_amount_fen)
    f.latest_signal = store::latest_risk_signal(c, q.person_id);
  else if (f.changes_account)
    f.latest_signal = store::latest_risk_signal_but(c, q.person_id, kSignalNewChannel);
  f.bank_amount_fen = q.bank_amount_fen;
  if (const auto limit = domain::repeat_limit(t, q.action)) f.repeats = repeats(c, q, *limit);
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

// The step-up rules that ask, less those a passed step-up still clears.
std::vector<std::string> unanswered_step_ups(store::Connection& c, const RiskQuestion& q,
                                             const domain::RiskThresholds& t,
                                             const domain::RiskFigures& seen) {
  // The step-ups passed matter only when a rule would ask: the common case reads none.
  if (domain::step_up_rules(t, seen, {}, q.now_ms).empty()) return {};
  const domain::StepUpsPassed passed{
      store::last_step_up_passed(c, q.person_id, domain::kRuleAccountTakeover),
      store::last_step_up_passed(c, q.person_id, domain::kRuleSettlementsPerHour),
      store::last_step_up_passed(c, q.person_id, domain::kRuleInstitutionsPerDay)};
  return domain::step_up_rules(t, seen, passed, q.now_ms);
}

}  // namespace

domain::RiskThresholds risk_thresholds(const RegionPolicies& policies,
                                       std::string_view region_code) {
  const auto policy = policies.find(region_code);
  return policy ? policy->risk : domain::RiskThresholds{};
}

std::optional<RiskDecision> risk_decision(store::Connection& c, const RiskQuestion& q,
                                          const domain::RiskThresholds& thresholds) {
  const auto seen = figures(c, q, thresholds);
  domain::RiskEvent e;
  if (auto denied = domain::deny_rule(thresholds, q.action, seen)) {
    e.decision = domain::kDecisionDeny;
    e.rules.push_back(std::move(*denied));
  } else {
    e.decision = domain::kDecisionStepUp;
    e.rules = unanswered_step_ups(c, q, thresholds, seen);
    if (e.rules.empty()) return std::nullopt;
  }
  e.risk_id = "rk_" + crypto::random_token(12);
  e.person_id = q.person_id;
  e.client_id = q.client_id;
  e.action = std::string(q.action);
  e.figures = domain::describe(seen);
  e.at_ms = q.now_ms;
  return RiskDecision{std::move(e), q.ecard_id};
}

void send_velocity_reads_ahead(store::Connection& c, const RiskQuestion& q) {
  if (!q.velocity) return;
  store::send_settlements_of_person_since_ahead(c, q.person_id, q.now_ms - kMsPerHour);
  store::send_institutions_of_person_on_ahead(c, q.person_id, format_cst_date(q.now_ms));
}

ErrorCode refusal_code(const RiskDecision& d) {
  return d.event.decision == domain::kDecisionDeny ? ErrorCode::kRiskDenied
                                                   : ErrorCode::kRiskStepUpRequired;
}

Error refusal_inside_write(const RiskDecision& d) {
  return Error(refusal_code(d), d.event.figures);
}

Error record_decision(store::Database& db, const Notifier& notifier, const RiskDecision& d) {
  const auto& e = d.event;
  const bool deny = e.decision == domain::kDecisionDeny;
  const auto code = refusal_code(d);
  auto risk_id = db.write<std::string>([&](store::Connection& c) -> Result<std::string> {
    for (const auto& earlier : store::risk_events_of_person(c, e.person_id, 5)) {
      if (earlier.status == domain::RiskEventStatus::kOpen && earlier.action == e.action &&
          earlier.decision == e.decision && earlier.at_ms >= e.at_ms - kAnswerAgainWindowMs)
        return earlier.risk_id;
    }
    store::insert_risk_event(c, e);
    std::string rules;
    for (const auto& rule : e.rules) rules += (rules.empty() ? "" : ",") + rule;
    store::append_audit(c, e.at_ms, "platform", deny ? "risk.deny" : "risk.step_up", e.risk_id,
                        rules, e.person_id);
    store::insert_auth_event(c, e.person_id, e.client_id, "risk", error_code_name(code), e.at_ms);
    notifier.announce(c, e.person_id, deny ? EcardEvent::kRiskDenied : EcardEvent::kStepUpRequired,
                      store::live_bindings(c, d.ecard_id), e.at_ms, e.risk_id);
    return e.risk_id;
  });
  if (!risk_id) return std::move(risk_id).error();
  Error answer(code, e.figures);
  answer.extras.risk_id = std::move(*risk_id);
  if (!deny) answer.extras.methods = {"face", "sms"};
  return answer;
}

}  // namespace essc::services
