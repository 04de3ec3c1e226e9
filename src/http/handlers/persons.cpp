// POST /v1/persons and GET /v1/persons/{id_number} (R-P1, R-P2).
#include "domain/operator.hpp"
#include "http/api.hpp"
#include "http/json.hpp"
#include "http/views.hpp"

namespace essc::http {

using domain::OperatorRole;

void add_person_routes(Router& router, services::RegistryService& registry) {
  router.add("POST", "/v1/persons", Access::kOperator,
             {domain::OperatorRole::kAdmin, domain::OperatorRole::kHrClerk},
             [&](Call& call) -> Result<Response> {
               ESSC_ASSIGN_OR_RETURN(auto body, JsonBody::parse(call.request.body));
               services::NewPerson request;
               ESSC_ASSIGN_OR_RETURN(request.name, body.string("name"));
               ESSC_ASSIGN_OR_RETURN(request.id_number, body.string("id_number"));
               ESSC_ASSIGN_OR_RETURN(request.region_code, body.string("region_code"));
               ESSC_ASSIGN_OR_RETURN(request.phone, body.optional_string("phone"));
               ESSC_ASSIGN_OR_RETURN(const auto* photos, body.object("photo_on_file"));
               ESSC_ASSIGN_OR_RETURN(request.photo_police,
                                     read_bool(*photos, "police", "photo_on_file.police"));
               ESSC_ASSIGN_OR_RETURN(request.photo_cardholder,
                                     read_bool(*photos, "cardholder", "photo_on_file.cardholder"));
               ESSC_ASSIGN_OR_RETURN(auto person, registry.add_person(call.actor, request));
               return json_response(201, person_view({std::move(person), std::nullopt}));
             });

  router.add("GET", "/v1/persons/{id_number}", Access::kOperator,
             {domain::OperatorRole::kAdmin, domain::OperatorRole::kHrClerk,
              domain::OperatorRole::kBankTeller},
             [&](Call& call) -> Result<Response> {
               ESSC_ASSIGN_OR_RETURN(auto view,
                                     registry.person(call.actor, call.param("id_number")));
               return json_response(200, person_view(view));
             });
}

}  // namespace essc::http
