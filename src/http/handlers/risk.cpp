// Risk control (R-K1…R-K6): for the fund's auditors the review cases, their closing and
// the rules in force (admins and auditors only: channels and institutions never learn a
// threshold); for the cardholder the decisions about them and "not me".
#include "common/clock.hpp"
#include "http/api.hpp"
#include "http/json.hpp"
#include "http/query.hpp"
#include "http/views.hpp"

namespace essc::http {
namespace {

boost::json::object case_view(const services::CaseView& v) {
  const auto& r = v.record;
  boost::json::object o{{"case_id", r.case_id},
                        {"opened_at", format_rfc3339(r.opened_at_ms)},
                        {"rule", r.rule},
                        {"person", boost::json::object{{"name_masked", v.name_masked},
                                                       {"id_number_masked", v.id_number_masked}}},
                        {"detail", r.detail},
                        {"status", r.open() ? "open" : "closed"}};
  if (r.risk_id) o["risk_id"] = *r.risk_id;
  if (r.settlement_id) o["settlement_id"] = *r.settlement_id;
  if (r.outcome) {
    o["outcome"] = domain::to_string(*r.outcome);
    o["note"] = r.note.value_or("");
    o["closed_at"] = format_rfc3339(r.closed_at_ms.value_or(0));
    o["closed_by"] = r.closed_by.value_or("");
  }
  return o;
}

boost::json::object region_rules_view(std::string_view region_code,
                                      const domain::RegionPolicy& policy) {
  const auto& risk = policy.risk;
  boost::json::array rules{
      boost::json::object{{"rule", "RISK_VELOCITY_LIMIT"},
                          {"settlements_per_day_max", policy.daily_settlement_limit}},
      boost::json::object{{"rule", domain::kRuleAccountTakeover},
                          {"window_hours", risk.takeover_window_hours},
                          {"amount_fen", risk.takeover_amount_fen},
                          {"step_up_valid_minutes", risk.step_up_valid_minutes}},
      boost::json::object{{"rule", domain::kRuleSettlementsPerHour},
                          {"settlements_per_hour_max", risk.settlements_per_hour_max},
                          {"step_up_valid_minutes", risk.step_up_valid_minutes}},
      boost::json::object{{"rule", domain::kRuleInstitutionsPerDay},
                          {"institutions_per_day_max", risk.institutions_per_day_max},
                          {"step_up_valid_minutes", risk.step_up_valid_minutes}},
      boost::json::object{{"rule", domain::kRulePasswordResetsPerDay},
                          {"password_resets_per_day_max", risk.password_resets_per_day_max}},
      boost::json::object{{"rule", domain::kRuleNewChannelsPerDay},
                          {"new_channels_per_day_max", risk.new_channels_per_day_max}},
      boost::json::object{{"rule", domain::kRuleSessionsPerHour},
                          {"sessions_per_hour_max", risk.sessions_per_hour_max}}};
  for (const auto& limit : policy.item_limits) {
    rules.push_back(boost::json::object{{"rule", domain::kRuleItemQuantityLimit},
                                        {"item_code", limit.code},
                                        {"max_quantity", limit.max_quantity},
                                        {"window_days", limit.window_days}});
  }
  boost::json::object o{{"region_code", region_code}, {"rules", std::move(rules)}};
  add_place_names(o, region_code);
  return o;
}

// What the cardholder is shown of a decision: never the figures the rules saw.
boost::json::object risk_event_view(const domain::RiskEvent& e) {
  boost::json::array rules;
  for (const auto& rule : e.rules) rules.emplace_back(rule);
  return {{"risk_id", e.risk_id},      {"at", format_rfc3339(e.at_ms)},
          {"action", e.action},        {"decision", e.decision},
          {"rules", std::move(rules)}, {"status", domain::to_string(e.status)}};
}

}  // namespace

void add_risk_routes(Router& router, services::SettlementService& settlements,
                     services::RiskCases& risk_cases, services::RiskEvents& risk_events) {
  router.add_session("GET", "/v1/ecards/{binding_id}/risk-events", services::BindingUse::kRead,
                     [&](Call& call) -> Result<Response> {
                       const auto& holder = call.holder();
                       boost::json::array items;
                       for (const auto& e : risk_events.of(holder))
                         items.push_back(risk_event_view(e));
                       return json_response(200, boost::json::object{{"items", std::move(items)}});
                     });

  router.add_session(
      "POST", "/v1/ecards/{binding_id}/risk-events/{risk_id}/not-me", services::BindingUse::kRead,
      [&](Call& call) -> Result<Response> {
        const auto& holder = call.holder();
        ESSC_ASSIGN_OR_RETURN(auto body, JsonBody::parse(call.request.body));
        ESSC_ASSIGN_OR_RETURN(auto password, body.string("password"));
        ESSC_ASSIGN_OR_RETURN(auto case_id, risk_events.not_me(*call.actor.client, holder,
                                                               call.param("risk_id"), password));
        return json_response(200, boost::json::object{{"case_id", std::move(case_id)}});
      });

  // R-K5 on a use of the authentication history (GET …/records?kind=auth, its event_id).
  router.add_session(
      "POST", "/v1/ecards/{binding_id}/records/auth/{event_id}/not-me", services::BindingUse::kRead,
      [&](Call& call) -> Result<Response> {
        const auto& holder = call.holder();
        const auto event_id = parse_int(call.param("event_id"));
        if (!event_id) return Error(ErrorCode::kNotFound);
        ESSC_ASSIGN_OR_RETURN(auto body, JsonBody::parse(call.request.body));
        ESSC_ASSIGN_OR_RETURN(auto password, body.string("password"));
        ESSC_ASSIGN_OR_RETURN(auto case_id, risk_events.not_me_to_use(*call.actor.client, holder,
                                                                      *event_id, password));
        return json_response(200, boost::json::object{{"case_id", std::move(case_id)}});
      });

  router.add("GET", "/v1/risk/cases", Access::kOperator, kAdminOrAuditor,
             [&](Call& call) -> Result<Response> {
               ESSC_ASSIGN_OR_RETURN(const auto limit, page_limit(call));
               const auto status = call.query_value("status").value_or("open");
               ESSC_ASSIGN_OR_RETURN(auto page,
                                     risk_cases.list(status, limit, call.query_value("cursor")));
               boost::json::array items;
               for (const auto& v : page.items) items.push_back(case_view(v));
               boost::json::object body{{"items", std::move(items)}};
               body["next_cursor"] =
                   page.next_cursor ? boost::json::value(*page.next_cursor) : nullptr;
               return json_response(200, body);
             });

  router.add("POST", "/v1/risk/cases/{case_id}/close", Access::kOperator, kAdminOrAuditor,
             [&](Call& call) -> Result<Response> {
               ESSC_ASSIGN_OR_RETURN(auto body, JsonBody::parse(call.request.body));
               ESSC_ASSIGN_OR_RETURN(auto outcome, body.string("outcome"));
               ESSC_ASSIGN_OR_RETURN(auto note, body.optional_string("note"));
               ESSC_ASSIGN_OR_RETURN(
                   auto closed,
                   risk_cases.close(call.actor, call.param("case_id"), outcome, note.value_or("")));
               return json_response(200, case_view(closed));
             });

  router.add("GET", "/v1/risk/rules", Access::kOperator, kAdminOrAuditor,
             [&](Call&) -> Result<Response> {
               const auto policies = settlements.policies().current();
               boost::json::array items;
               for (const auto& [code, policy] : *policies)
                 items.push_back(region_rules_view(code, policy));
               return json_response(200, boost::json::object{{"items", std::move(items)}});
             });
}

}  // namespace essc::http
