// Physical cards: issue, read, and every life-cycle action (R-C1, R-C2, R-C3).
#include "domain/operator.hpp"
#include "http/api.hpp"
#include "http/json.hpp"
#include "http/views.hpp"

namespace essc::http {

using domain::OperatorRole;

namespace {

const std::vector<domain::OperatorRole> kCounter{domain::OperatorRole::kAdmin,
                                                 domain::OperatorRole::kHrClerk};
const std::vector<domain::OperatorRole> kAnyOperator{domain::OperatorRole::kAdmin,
                                                     domain::OperatorRole::kHrClerk,
                                                     domain::OperatorRole::kBankTeller};
const std::vector<domain::OperatorRole> kTeller{domain::OperatorRole::kBankTeller};

Result<Response> card_answer(Result<services::CardView> view, int status = 200) {
  if (!view) return std::move(view).error();
  return json_response(status, card_view(*view));
}

void add_action_route(Router& router, services::RegistryService& registry,
                      domain::CardAction action) {
  router.add("POST", "/v1/cards/{card_no}/" + std::string(domain::to_string(action)),
             Access::kOperator, kCounter, [&registry, action](Call& call) -> Result<Response> {
               return card_answer(registry.apply(call.actor, call.param("card_no"), action));
             });
}

}  // namespace

void add_card_routes(Router& router, services::RegistryService& registry) {
  router.add("POST", "/v1/cards", Access::kOperator, kCounter, [&](Call& call) -> Result<Response> {
    ESSC_ASSIGN_OR_RETURN(auto body, JsonBody::parse(call.request.body));
    ESSC_ASSIGN_OR_RETURN(auto id_number, body.string("id_number"));
    ESSC_ASSIGN_OR_RETURN(auto bank_code, body.string("bank_code"));
    return card_answer(registry.issue_card(call.actor, id_number, bank_code), 201);
  });

  router.add("GET", "/v1/cards/{card_no}", Access::kOperator, kAnyOperator,
             [&](Call& call) -> Result<Response> {
               return card_answer(registry.card(call.actor, call.param("card_no")));
             });

  for (auto action : {domain::CardAction::kCollect, domain::CardAction::kReportLoss,
                      domain::CardAction::kCancelLoss, domain::CardAction::kLock,
                      domain::CardAction::kUnlock, domain::CardAction::kCancel}) {
    add_action_route(router, registry, action);
  }

  router.add("POST", "/v1/cards/{card_no}/activate", Access::kOperator, kAnyOperator,
             [&](Call& call) -> Result<Response> {
               ESSC_ASSIGN_OR_RETURN(auto body, JsonBody::parse(call.request.body));
               ESSC_ASSIGN_OR_RETURN(auto pin, body.string("hr_pin"));
               return card_answer(registry.activate(call.actor, call.param("card_no"), pin));
             });

  router.add("POST", "/v1/cards/{card_no}/replace", Access::kOperator, kCounter,
             [&](Call& call) -> Result<Response> {
               return card_answer(registry.replace(call.actor, call.param("card_no")), 201);
             });

  router.add(
      "POST", "/v1/cards/{card_no}/financial/activate", Access::kOperator, kTeller,
      [&](Call& call) -> Result<Response> {
        ESSC_ASSIGN_OR_RETURN(auto body, JsonBody::parse(call.request.body));
        services::FinancialActivation request;
        ESSC_ASSIGN_OR_RETURN(request.bank_account_no, body.string("bank_account_no"));
        ESSC_ASSIGN_OR_RETURN(request.reserved_phone, body.string("reserved_phone"));
        ESSC_ASSIGN_OR_RETURN(request.financial_pin, body.string("financial_pin"));
        return card_answer(registry.activate_financial(call.actor, call.param("card_no"), request));
      });

  router.add("PUT", "/v1/cards/{card_no}/financial/reserved-phone", Access::kOperator, kTeller,
             [&](Call& call) -> Result<Response> {
               ESSC_ASSIGN_OR_RETURN(auto body, JsonBody::parse(call.request.body));
               ESSC_ASSIGN_OR_RETURN(auto phone, body.string("reserved_phone"));
               return card_answer(
                   registry.change_reserved_phone(call.actor, call.param("card_no"), phone));
             });
}

}  // namespace essc::http
