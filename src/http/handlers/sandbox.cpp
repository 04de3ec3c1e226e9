// GET /v1/sandbox/sms: the messages the sandbox SMS gateway "sent" (API.md "Sandbox").
// Registered only when the server runs with the sandbox adapters.
#include "common/clock.hpp"
#include "domain/phone.hpp"
#include "http/api.hpp"
#include "http/json.hpp"

namespace essc::http {

void add_sandbox_routes(Router& router, const adapters::SandboxSmsGateway& sms) {
  router.add("GET", "/v1/sandbox/sms", Access::kPublic, {}, [&](Call& call) -> Result<Response> {
    const auto phone = call.query_value("phone");
    if (!phone) return Error::invalid_field("phone");
    ESSC_ASSIGN_OR_RETURN(auto parsed, domain::Phone::parse(*phone));
    boost::json::array items;
    for (const auto& m : sms.messages_to(parsed.str())) {
      items.push_back(boost::json::object{
          {"phone", m.phone}, {"text", m.text}, {"at", format_rfc3339(m.at_ms)}});
    }
    return json_response(
        200, boost::json::object{{"items", std::move(items)}, {"next_cursor", nullptr}});
  });
}

}  // namespace essc::http
