#include "services/risk_events.hpp"

#include "common/limits.hpp"
#include "services/risk_cases.hpp"
#include "store/audit_log.hpp"
#include "store/risk_event_repository.hpp"

namespace essc::services {

std::vector<domain::RiskEvent> RiskEvents::of(const BindingView& holder) {
  return ctx_.db.read([&](store::Connection& c) {
    return store::risk_events_of_person(c, holder.person.person_id, limits::kPageSizeDefault);
  });
}

Result<std::string> RiskEvents::not_me(const domain::Client& client, const BindingView& holder,
                                       std::string_view risk_id, std::string_view password) {
  const auto person_id = holder.person.person_id;
  const auto event =
      ctx_.db.read([&](store::Connection& c) { return store::find_risk_event(c, risk_id); });
  // Another person's decision answers as an unknown one.
  if (!event || event->person_id != person_id) return Error(ErrorCode::kNotFound);
  if (event->status == domain::RiskEventStatus::kNotMe)
    return Error(ErrorCode::kConflict, "already answered");
  auto reported = ecards_.report_loss(client, holder.binding.binding_id, password);
  if (!reported && reported.error().code != ErrorCode::kInvalidStateTransition)
    return std::move(reported).error();
  const auto now = ctx_.clock.now_ms();
  const std::string actor = "client:" + client.client_id;
  return ctx_.db.write<std::string>([&](store::Connection& c) -> Result<std::string> {
    const auto current = store::find_risk_event(c, risk_id);
    if (!current || current->status == domain::RiskEventStatus::kNotMe)
      return Error(ErrorCode::kConflict, "already answered");
    // An open decision, or one a step-up cleared: the step-up may have been the impostor's.
    store::resolve_risk_event(c, risk_id, current->status, domain::RiskEventStatus::kNotMe, now);
    domain::RiskCase r;
    r.opened_at_ms = now;
    r.rule = domain::kRuleNotMe;
    r.risk_id = std::string(risk_id);
    r.person_id = person_id;
    r.detail = current->action + ": " + current->figures;
    store::append_audit(c, now, actor, "risk.not_me", std::string(risk_id), "ok", person_id);
    return open_risk_case(c, std::move(r), actor);
  });
}

}  // namespace essc::services
