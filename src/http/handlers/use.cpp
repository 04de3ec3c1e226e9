// Using the e-card in a channel (R-U1…R-U3, R-U7): sessions, QR codes, the card face
// and the personal account. Calls marked (session) in API.md carry X-Essc-Session.
#include "common/clock.hpp"
#include "common/masking.hpp"
#include "crypto/encoding.hpp"
#include "http/api.hpp"
#include "http/json.hpp"
#include "services/qr_image.hpp"
#include "store/account_repository.hpp"
#include "store/settlement_repository.hpp"

namespace essc::http {
namespace {

Result<services::BindingView> session_holder(Call& call) {
  const auto token = call.request.header("x-essc-session");
  if (!token) return Error(ErrorCode::kSessionInvalid, "no X-Essc-Session header");
  return call.platform.usage.authenticate_session(*call.actor.client, call.param("binding_id"), *token);
}

}  // namespace

void add_use_routes(Router& router) {
  router.add("POST", "/v1/ecards/{binding_id}/sessions", Access::kChannel, {}, [](Call& call) -> Result<Response> {
    ESSC_ASSIGN_OR_RETURN(auto body, JsonBody::parse(call.request.body));
    ESSC_ASSIGN_OR_RETURN(auto password, body.string("password"));
    ESSC_ASSIGN_OR_RETURN(auto session,
                          call.platform.usage.open_session(*call.actor.client, call.param("binding_id"), password));
    return json_response(201, boost::json::object{{"session_token", session.token},
                                                  {"expires_at", format_rfc3339(session.expires_at_ms)}});
  });

  router.add("POST", "/v1/ecards/{binding_id}/qrcodes", Access::kChannel, {}, [](Call& call) -> Result<Response> {
    ESSC_ASSIGN_OR_RETURN(auto holder, session_holder(call));
    ESSC_ASSIGN_OR_RETURN(auto body, JsonBody::parse(call.request.body));
    ESSC_ASSIGN_OR_RETURN(auto purpose, body.string("purpose"));
    ESSC_ASSIGN_OR_RETURN(auto code, call.platform.usage.issue_qr(holder, purpose));
    ESSC_ASSIGN_OR_RETURN(auto png, services::render_qr_png(code.token));
    return json_response(201, boost::json::object{{"token", code.token},
                                                  {"expires_at", format_rfc3339(code.expires_at_ms)},
                                                  {"refresh_after", code.refresh_after_seconds},
                                                  {"png_base64", crypto::to_base64(png)}});
  });

  router.add("GET", "/v1/ecards/{binding_id}/card-face", Access::kChannel, {}, [](Call& call) -> Result<Response> {
    ESSC_ASSIGN_OR_RETURN(auto holder, session_holder(call));
    // R-U3: masked unless the cardholder taps the eye; only an open session may reveal.
    const bool reveal = call.query_value("reveal") == "true";
    const auto& person = holder.person;
    return json_response(200, boost::json::object{
                                  {"name", reveal ? person.name : mask_name(person.name)},
                                  {"id_number", reveal ? person.id_number : mask_id_number(person.id_number)},
                                  {"card_no", reveal ? holder.card.card_no : mask_card_no(holder.card.card_no)},
                                  {"region_code", holder.card.region_code},
                                  {"bank_code", holder.card.bank_code},
                                  {"level", holder.binding.level},
                                  {"status", domain::to_string(holder.binding.status)},
                                  {"revealed", reveal}});
  });

  router.add("GET", "/v1/ecards/{binding_id}/account", Access::kChannel, {}, [](Call& call) -> Result<Response> {
    ESSC_ASSIGN_OR_RETURN(auto holder, call.platform.ecards.owned_binding(*call.actor.client, call.param("binding_id")));
    const auto now = call.platform.ctx.clock.now_ms();
    const std::int64_t year = cst_year(now);
    const auto person_id = holder.person.person_id;
    const auto [balance, figures] = call.platform.ctx.db.read([&](store::Connection& c) {
      return std::pair{store::medical_balance_fen(c, person_id), store::year_figures(c, person_id, year)};
    });
    return json_response(200, boost::json::object{{"medical_account_balance_fen", balance},
                                                  {"year", year},
                                                  {"fund_paid_this_year_fen", figures.fund_paid_fen},
                                                  {"deductible_used_fen", figures.deductible_used_fen}});
  });
}

}  // namespace essc::http
