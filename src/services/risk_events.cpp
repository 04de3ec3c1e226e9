#include "services/risk_events.hpp"

#include "common/clock.hpp"
#include "common/limits.hpp"
#include "services/risk_cases.hpp"
#include "store/audit_log.hpp"
#include "store/record_repository.hpp"
#include "store/risk_event_repository.hpp"

namespace essc::services {

std::vector<domain::RiskEvent> RiskEvents::of(const BindingView& holder) {
  return db_.read([&](store::Connection& c) {
    return store::risk_events_of_person(c, holder.person.person_id, limits::kPageSizeDefault);
  });
}

Result<std::string> RiskEvents::not_me(const domain::Client& client, const BindingView& holder,
                                       std::string_view risk_id, std::string_view password) {
  const auto event =
      db_.read([&](store::Connection& c) { return store::find_risk_event(c, risk_id); });
  // Another person's decision answers as an unknown one.
  if (!event || event->person_id != holder.person.person_id) return Error(ErrorCode::kNotFound);
  if (event->status == domain::RiskEventStatus::kNotMe)
    return Error(ErrorCode::kConflict, "already answered");
  return answer_not_me(client, holder, password, risk_id,
                       [&](store::Connection& c, std::int64_t now) -> Result<domain::RiskCase> {
                         const auto current = store::find_risk_event(c, risk_id);
                         if (!current || current->status == domain::RiskEventStatus::kNotMe)
                           return Error(ErrorCode::kConflict, "already answered");
                         // An open decision, or one a step-up cleared: the step-up may have been
                         // the impostor's.
                         store::resolve_risk_event(c, risk_id, current->status,
                                                   domain::RiskEventStatus::kNotMe, now);
                         domain::RiskCase r;
                         r.risk_id = std::string(risk_id);
                         r.detail = current->action + ": " + current->figures;
                         return r;
                       });
}

Result<std::string> RiskEvents::not_me_to_use(const domain::Client& client,
                                              const BindingView& holder, std::int64_t event_id,
                                              std::string_view password) {
  const auto event =
      db_.read([&](store::Connection& c) { return store::find_auth_event(c, event_id); });
  if (!event || event->person_id != holder.person.person_id) return Error(ErrorCode::kNotFound);
  if (event->answered_not_me) return Error(ErrorCode::kConflict, "already answered");
  return answer_not_me(client, holder, password, "auth_event:" + std::to_string(event_id),
                       [&](store::Connection& c, std::int64_t now) -> Result<domain::RiskCase> {
                         const auto current = store::find_auth_event(c, event_id);
                         if (!current || current->answered_not_me)
                           return Error(ErrorCode::kConflict, "already answered");
                         store::mark_auth_event_not_me(c, event_id, now);
                         domain::RiskCase r;
                         // What the auditors need to find the use: its kind, outcome, channel and
                         // time.
                         r.detail = "authentication " + current->kind + " " + current->outcome +
                                    " by " + current->client_id + " at " +
                                    format_rfc3339(current->at_ms);
                         return r;
                       });
}

Result<std::string> RiskEvents::answer_not_me(const domain::Client& client,
                                              const BindingView& holder, std::string_view password,
                                              std::string_view subject, const Answer& answer) {
  auto reported = ecards_.report_loss(client, holder.binding.binding_id, password);
  if (!reported && reported.error().code != ErrorCode::kInvalidStateTransition)
    return std::move(reported).error();
  const auto now = clock_.now_ms();
  const auto person_id = holder.person.person_id;
  const std::string actor = client_audit_name(client.client_id);
  return db_.write<std::string>([&](store::Connection& c) -> Result<std::string> {
    ESSC_ASSIGN_OR_RETURN(auto r, answer(c, now));
    r.opened_at_ms = now;
    r.rule = domain::kRuleNotMe;
    r.person_id = person_id;
    store::append_audit(c, now, actor, "risk.not_me", std::string(subject), "ok", person_id);
    return open_risk_case(c, std::move(r), actor);
  });
}

}  // namespace essc::services
