// POST /v1/operator/sessions, DELETE /v1/operator/sessions/current, POST /v1/operators.
#include "common/clock.hpp"
#include "domain/operator.hpp"
#include "http/api.hpp"
#include "http/json.hpp"

namespace essc::http {

using domain::OperatorRole;

void add_operator_routes(Router& router, services::OperatorService& operators) {
  router.add("POST", "/v1/operator/sessions", Access::kPublic, {},
             [&](Call& call) -> Result<Response> {
               ESSC_ASSIGN_OR_RETURN(auto body, JsonBody::parse(call.request.body));
               ESSC_ASSIGN_OR_RETURN(auto username, body.string("username"));
               ESSC_ASSIGN_OR_RETURN(auto password, body.string("password"));
               ESSC_ASSIGN_OR_RETURN(auto session, operators.login(username, password));
               boost::json::object answer{{"token", session.token},
                                          {"expires_at", format_rfc3339(session.expires_at_ms)},
                                          {"role", domain::to_string(session.role)}};
               if (session.bank_code) answer["bank_code"] = *session.bank_code;
               return json_response(200, answer);
             });

  router.add("DELETE", "/v1/operator/sessions/current", Access::kOperator,
             {domain::OperatorRole::kAdmin, domain::OperatorRole::kHrClerk,
              domain::OperatorRole::kBankTeller},
             [&](Call& call) -> Result<Response> {
               ESSC_TRY(operators.logout(*call.actor.operator_record, call.bearer_token));
               return no_content();
             });

  router.add(
      "POST", "/v1/operators", Access::kOperator, {domain::OperatorRole::kAdmin},
      [&](Call& call) -> Result<Response> {
        ESSC_ASSIGN_OR_RETURN(auto body, JsonBody::parse(call.request.body));
        services::NewOperator request;
        ESSC_ASSIGN_OR_RETURN(request.username, body.string("username"));
        ESSC_ASSIGN_OR_RETURN(request.password, body.string("password"));
        ESSC_ASSIGN_OR_RETURN(request.role, body.string("role"));
        ESSC_ASSIGN_OR_RETURN(request.bank_code, body.optional_string("bank_code"));
        ESSC_ASSIGN_OR_RETURN(auto op, operators.add(call.actor, request));
        boost::json::object o{{"username", op.username}, {"role", domain::to_string(op.role)}};
        if (op.bank_code) o["bank_code"] = *op.bank_code;
        return json_response(201, o);
      });
}

}  // namespace essc::http
