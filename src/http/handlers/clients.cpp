// POST /v1/clients and PATCH /v1/clients/{client_id} (+ suspend, resume, rotate-secret)
// for administrators, and
// GET /v1/clients/me for a signed client to check its own credentials and status.
#include "domain/operator.hpp"
#include "http/api.hpp"
#include "http/json.hpp"
#include "http/views.hpp"

namespace essc::http {

using domain::OperatorRole;

void add_client_routes(Router& router, services::ClientService& clients) {
  router.add("POST", "/v1/clients", Access::kOperator, {domain::OperatorRole::kAdmin},
             [&](Call& call) -> Result<Response> {
               ESSC_ASSIGN_OR_RETURN(auto body, JsonBody::parse(call.request.body));
               services::NewClient request;
               ESSC_ASSIGN_OR_RETURN(request.kind, body.string("kind"));
               ESSC_ASSIGN_OR_RETURN(request.name, body.string("name"));
               ESSC_ASSIGN_OR_RETURN(request.channel_type, body.optional_string("channel_type"));
               ESSC_ASSIGN_OR_RETURN(request.institution_type,
                                     body.optional_string("institution_type"));
               ESSC_ASSIGN_OR_RETURN(request.region_code, body.optional_string("region_code"));
               ESSC_ASSIGN_OR_RETURN(request.webhook_url, body.optional_string("webhook_url"));
               ESSC_ASSIGN_OR_RETURN(request.requests_per_minute,
                                     body.optional_integer("requests_per_minute"));
               ESSC_ASSIGN_OR_RETURN(request.qr_png, body.optional_boolean("qr_png"));
               ESSC_ASSIGN_OR_RETURN(auto client, clients.add(call.actor, request));
               auto o = client_view(client);
               o["client_secret"] = client.secret;
               if (client.webhook_secret) o["webhook_secret"] = *client.webhook_secret;
               return json_response(201, o);
             });

  router.add("PATCH", "/v1/clients/{client_id}", Access::kOperator, {domain::OperatorRole::kAdmin},
             [&](Call& call) -> Result<Response> {
               ESSC_ASSIGN_OR_RETURN(auto body, JsonBody::parse(call.request.body));
               services::ClientChanges changes;
               ESSC_ASSIGN_OR_RETURN(changes.name, body.optional_string("name"));
               ESSC_ASSIGN_OR_RETURN(changes.webhook_url, body.optional_string("webhook_url"));
               ESSC_ASSIGN_OR_RETURN(changes.requests_per_minute,
                                     body.optional_integer("requests_per_minute"));
               ESSC_ASSIGN_OR_RETURN(changes.qr_png, body.optional_boolean("qr_png"));
               ESSC_ASSIGN_OR_RETURN(auto client,
                                     clients.update(call.actor, call.param("client_id"), changes));
               return json_response(200, client_view(client));
             });

  router.add("POST", "/v1/clients/{client_id}/suspend", Access::kOperator,
             {domain::OperatorRole::kAdmin}, [&](Call& call) -> Result<Response> {
               ESSC_ASSIGN_OR_RETURN(
                   auto client, clients.set_suspended(call.actor, call.param("client_id"), true));
               return json_response(200, client_view(client));
             });

  router.add("POST", "/v1/clients/{client_id}/resume", Access::kOperator,
             {domain::OperatorRole::kAdmin}, [&](Call& call) -> Result<Response> {
               ESSC_ASSIGN_OR_RETURN(
                   auto client, clients.set_suspended(call.actor, call.param("client_id"), false));
               return json_response(200, client_view(client));
             });

  router.add("POST", "/v1/clients/{client_id}/rotate-secret", Access::kOperator,
             {domain::OperatorRole::kAdmin}, [&](Call& call) -> Result<Response> {
               ESSC_ASSIGN_OR_RETURN(auto client,
                                     clients.rotate_secret(call.actor, call.param("client_id")));
               auto o = client_view(client);
               o["client_secret"] = client.secret;
               return json_response(200, o);
             });

  router.add("GET", "/v1/clients/me", Access::kClient, {}, [&](Call& call) -> Result<Response> {
    return json_response(200, client_view(*call.actor.client));
  });
}

}  // namespace essc::http
