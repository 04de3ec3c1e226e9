// POST /v1/accounts/medical/credits (个人账户 injections) and POST /v1/benefits (R-U6).
#include "domain/operator.hpp"
#include "http/api.hpp"
#include "http/json.hpp"
#include "http/views.hpp"

namespace essc::http {

using domain::OperatorRole;

void add_account_routes(Router& router, services::AccountService& accounts) {
  router.add("POST", "/v1/accounts/medical/credits", Access::kOperator,
             {domain::OperatorRole::kAdmin, domain::OperatorRole::kHrClerk},
             [&](Call& call) -> Result<Response> {
               ESSC_ASSIGN_OR_RETURN(auto body, JsonBody::parse(call.request.body));
               services::MedicalCredit request;
               ESSC_ASSIGN_OR_RETURN(request.id_number, body.string("id_number"));
               ESSC_ASSIGN_OR_RETURN(request.amount_fen, body.integer("amount_fen"));
               ESSC_ASSIGN_OR_RETURN(request.memo, body.string("memo"));
               if (auto key = call.request.header("idempotency-key"))
                 request.idempotency_key = std::string(*key);
               ESSC_ASSIGN_OR_RETURN(auto movement, accounts.credit_medical(call.actor, request));
               return json_response(200, movement_view(movement));
             });

  router.add("POST", "/v1/benefits", Access::kOperator,
             {domain::OperatorRole::kAdmin, domain::OperatorRole::kHrClerk},
             [&](Call& call) -> Result<Response> {
               ESSC_ASSIGN_OR_RETURN(auto body, JsonBody::parse(call.request.body));
               services::NewBenefit request;
               ESSC_ASSIGN_OR_RETURN(request.id_number, body.string("id_number"));
               ESSC_ASSIGN_OR_RETURN(request.kind, body.string("kind"));
               ESSC_ASSIGN_OR_RETURN(request.period, body.string("period"));
               ESSC_ASSIGN_OR_RETURN(request.amount_fen, body.integer("amount_fen"));
               ESSC_ASSIGN_OR_RETURN(auto view, accounts.record_benefit(call.actor, request));
               return json_response(view.created ? 201 : 200, benefit_view(view.benefit));
             });
}

}  // namespace essc::http
