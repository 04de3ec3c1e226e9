// GET /v1/audit and GET /v1/audit/verify (R-S6), and GET /v1/outbox/given-up (R-L6),
// for administrators.

#include <map>
#include <string>

#include "common/clock.hpp"
#include "crypto/encoding.hpp"
#include "domain/operator.hpp"
#include "http/api.hpp"
#include "http/json.hpp"
#include "http/query.hpp"
#include "services/context.hpp"
#include "services/outbox_worker.hpp"
#include "store/client_repository.hpp"

namespace essc::http {
namespace {

constexpr std::string_view kClientActor = "client:";

// The names of the channels and institutions acting in `entries` ("client:<id>" actors),
// so a reader sees 宁波银行APP rather than an opaque client id.
template <typename Entries>
std::map<std::string, std::string> client_names(Call& call, const Entries& entries) {
  std::map<std::string, std::string> names;
  auto& ctx = call.platform.ctx;
  ctx.db.read([&](store::Connection& c) {
    for (const auto& e : entries) {
      if (!e.actor.starts_with(kClientActor) || names.contains(e.actor)) continue;
      if (const auto client = ctx.clients.find(c, e.actor.substr(kClientActor.size())))
        names.emplace(e.actor, client->name);
    }
  });
  return names;
}

}  // namespace

void add_audit_routes(Router& router) {
  router.add("GET", "/v1/audit", Access::kOperator, {domain::OperatorRole::kAdmin},
             [](Call& call) -> Result<Response> {
               services::AuditQuery query;
               ESSC_ASSIGN_OR_RETURN(query.limit, page_limit(call));
               ESSC_ASSIGN_OR_RETURN(query.after_seq, cursor_number(call));
               ESSC_ASSIGN_OR_RETURN(auto from, time_parameter(call, "from"));
               ESSC_ASSIGN_OR_RETURN(auto to, time_parameter(call, "to"));
               if (from) query.from_ms = *from;
               if (to) query.to_ms = *to;
               const auto page = call.platform.audit.list(query);
               const auto names = client_names(call, page.items);
               boost::json::array items;
               for (const auto& e : page.items) {
                 boost::json::object item{{"seq", e.seq},
                                          {"at", format_rfc3339(e.at_ms)},
                                          {"actor", e.actor},
                                          {"action", e.action},
                                          {"target", e.target},
                                          {"outcome", e.outcome},
                                          {"hash", crypto::to_hex(e.hash)}};
                 if (const auto it = names.find(e.actor); it != names.end())
                   item["actor_name"] = it->second;
                 items.push_back(std::move(item));
               }
               boost::json::object body{{"items", std::move(items)}};
               body["next_cursor"] = page.next_after_seq
                                         ? boost::json::value(std::to_string(*page.next_after_seq))
                                         : boost::json::value(nullptr);
               return json_response(200, body);
             });

  // R-L6: deliveries that exhausted their retries stay visible here; SMS destinations
  // are personal data and are not shown.
  router.add("GET", "/v1/outbox/given-up", Access::kOperator, {domain::OperatorRole::kAdmin},
             [](Call& call) -> Result<Response> {
               ESSC_ASSIGN_OR_RETURN(const auto limit, page_limit(call));
               const auto events = services::given_up_events(call.platform.ctx, limit);
               boost::json::array items;
               for (const auto& e : events) {
                 boost::json::object item{{"event_id", e.event_id},
                                          {"kind", e.kind},
                                          {"attempts", e.attempts},
                                          {"last_error", e.last_error},
                                          {"created_at", format_rfc3339(e.created_at_ms)}};
                 if (e.client_id) item["client_id"] = *e.client_id;
                 items.push_back(std::move(item));
               }
               return json_response(
                   200, boost::json::object{{"items", std::move(items)}, {"next_cursor", nullptr}});
             });

  router.add("GET", "/v1/audit/verify", Access::kOperator, {domain::OperatorRole::kAdmin},
             [](Call& call) -> Result<Response> {
               const auto v = call.platform.audit.verify();
               boost::json::object body{{"entries", v.entries}, {"ok", v.ok}};
               if (v.first_bad_seq) body["first_bad_seq"] = *v.first_bad_seq;
               return json_response(200, body);
             });
}

}  // namespace essc::http
