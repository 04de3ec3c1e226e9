// The e-card in a channel: issue, read, unlink, upgrade, passwords, loss report and the
// cardholder's inbox, and where the e-card is held (R-E1…R-E9, R-W1…R-W4, R-L1, R-L2, R-L6).
#include "common/clock.hpp"
#include "http/api.hpp"
#include "http/json.hpp"
#include "http/query.hpp"
#include "http/views.hpp"

namespace essc::http {
namespace {

Result<Response> binding_answer(Result<services::BindingView> view, int status = 200) {
  if (!view) return std::move(view).error();
  return json_response(status, binding_view(*view));
}

Result<Response> done(Status status) {
  if (!status) return std::move(status).error();
  return no_content();
}

// One channel holding the e-card as the cardholder sees it: never its binding id (R-E9).
boost::json::object holding_view(const services::ChannelBinding& b,
                                 const std::string& own_client_id) {
  boost::json::object o{{"channel_id", b.channel_id},
                        {"channel_name", b.channel_name},
                        {"level", b.level},
                        {"status", domain::to_string(b.status)},
                        {"since", format_rfc3339(b.since_ms)},
                        {"this_channel", b.channel_id == own_client_id}};
  o["channel_type"] =
      b.channel_type ? boost::json::value(domain::to_string(*b.channel_type)) : nullptr;
  o["last_used_at"] =
      b.last_used_ms ? boost::json::value(format_rfc3339(*b.last_used_ms)) : nullptr;
  return o;
}

}  // namespace

void add_ecard_routes(Router& router, services::EcardService& ecards) {
  router.add_session("GET", "/v1/ecards/{binding_id}/channels", services::BindingUse::kRead,
                     [&](Call& call) -> Result<Response> {
                       const auto& holder = call.holder();
                       boost::json::array items;
                       for (const auto& b : ecards.channels(holder)) {
                         items.push_back(holding_view(b, call.actor.client->client_id));
                       }
                       return json_response(200, boost::json::object{{"items", std::move(items)},
                                                                     {"next_cursor", nullptr}});
                     });

  router.add_session("POST", "/v1/ecards/{binding_id}/channels/{channel_id}/revoke",
                     services::BindingUse::kManage, [&](Call& call) -> Result<Response> {
                       const auto& holder = call.holder();
                       ESSC_ASSIGN_OR_RETURN(auto body, JsonBody::parse(call.request.body));
                       ESSC_ASSIGN_OR_RETURN(auto password, body.string("password"));
                       return done(ecards.revoke_channel(*call.actor.client, holder,
                                                         call.param("channel_id"), password));
                     });

  router.add("POST", "/v1/ecards", Access::kChannel, {}, [&](Call& call) -> Result<Response> {
    ESSC_ASSIGN_OR_RETURN(auto body, JsonBody::parse(call.request.body));
    ESSC_ASSIGN_OR_RETURN(auto verification_id, body.string("verification_id"));
    ESSC_ASSIGN_OR_RETURN(auto password, body.string("password"));
    return binding_answer(ecards.issue(*call.actor.client, verification_id, password), 201);
  });

  router.add(
      "GET", "/v1/ecards/{binding_id}", Access::kChannel, {},
      [&](Call& call) -> Result<Response> {
        return binding_answer(ecards.get(*call.actor.client, call.param("binding_id")));
      },
      Work::kShortRead);

  router.add("POST", "/v1/ecards/{binding_id}/unlink", Access::kChannel, {},
             [&](Call& call) -> Result<Response> {
               ESSC_ASSIGN_OR_RETURN(auto body, JsonBody::parse(call.request.body));
               ESSC_ASSIGN_OR_RETURN(auto password, body.string("password"));
               return done(ecards.unlink(*call.actor.client, call.param("binding_id"), password));
             });

  router.add("POST", "/v1/ecards/{binding_id}/upgrade", Access::kChannel, {},
             [&](Call& call) -> Result<Response> {
               ESSC_ASSIGN_OR_RETURN(auto body, JsonBody::parse(call.request.body));
               ESSC_ASSIGN_OR_RETURN(auto verification_id, body.string("verification_id"));
               return binding_answer(
                   ecards.upgrade(*call.actor.client, call.param("binding_id"), verification_id));
             });

  router.add("POST", "/v1/ecards/{binding_id}/password/change", Access::kChannel, {},
             [&](Call& call) -> Result<Response> {
               ESSC_ASSIGN_OR_RETURN(auto body, JsonBody::parse(call.request.body));
               ESSC_ASSIGN_OR_RETURN(auto old_password, body.string("old_password"));
               ESSC_ASSIGN_OR_RETURN(auto new_password, body.string("new_password"));
               return done(ecards.change_password(*call.actor.client, call.param("binding_id"),
                                                  old_password, new_password));
             });

  router.add("POST", "/v1/ecards/{binding_id}/password/reset", Access::kChannel, {},
             [&](Call& call) -> Result<Response> {
               ESSC_ASSIGN_OR_RETURN(auto body, JsonBody::parse(call.request.body));
               ESSC_ASSIGN_OR_RETURN(auto verification_id, body.string("verification_id"));
               ESSC_ASSIGN_OR_RETURN(auto new_password, body.string("new_password"));
               return done(ecards.reset_password(*call.actor.client, call.param("binding_id"),
                                                 verification_id, new_password));
             });

  router.add("POST", "/v1/ecards/{binding_id}/report-loss", Access::kChannel, {},
             [&](Call& call) -> Result<Response> {
               ESSC_ASSIGN_OR_RETURN(auto body, JsonBody::parse(call.request.body));
               ESSC_ASSIGN_OR_RETURN(auto password, body.string("password"));
               return binding_answer(
                   ecards.report_loss(*call.actor.client, call.param("binding_id"), password));
             });

  router.add("POST", "/v1/ecards/{binding_id}/cancel-loss", Access::kChannel, {},
             [&](Call& call) -> Result<Response> {
               ESSC_ASSIGN_OR_RETURN(auto body, JsonBody::parse(call.request.body));
               ESSC_ASSIGN_OR_RETURN(auto verification_id, body.string("verification_id"));
               return binding_answer(ecards.cancel_loss(*call.actor.client,
                                                        call.param("binding_id"), verification_id));
             });

  router.add("GET", "/v1/ecards/{binding_id}/notifications", Access::kChannel, {},
             [&](Call& call) -> Result<Response> {
               ESSC_ASSIGN_OR_RETURN(const auto limit, page_limit(call));
               ESSC_ASSIGN_OR_RETURN(const auto before, cursor_number(call));
               ESSC_ASSIGN_OR_RETURN(
                   auto notes, ecards.notifications(*call.actor.client, call.param("binding_id"),
                                                    before, limit + 1));
               boost::json::object body;
               body["next_cursor"] = nullptr;
               if (static_cast<std::int64_t>(notes.size()) > limit) {
                 notes.pop_back();
                 body["next_cursor"] = std::to_string(notes.back().notification_id);
               }
               boost::json::array items;
               for (const auto& n : notes) items.push_back(notification_view(n));
               body["items"] = std::move(items);
               return json_response(200, body);
             });
}

}  // namespace essc::http
