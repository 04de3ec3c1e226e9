// Using the e-card in a channel (R-U1…R-U3, R-U7): sessions, QR codes, the card face
// and the personal account. Calls marked (session) in API.md carry X-Essc-Session.
#include "common/clock.hpp"
#include "common/masking.hpp"
#include "crypto/encoding.hpp"
#include "crypto/merkle.hpp"
#include "http/api.hpp"
#include "http/json.hpp"
#include "http/query.hpp"
#include "http/views.hpp"
#include "store/audit_log.hpp"

namespace essc::http {

void add_use_routes(Router& router, services::AuditService& audit, services::UsageService& usage,
                    services::ContributionService& contributions,
                    services::RecordService& records) {
  router.add("POST", "/v1/ecards/{binding_id}/sessions", Access::kChannel, {},
             [&](Call& call) -> Result<Response> {
               ESSC_ASSIGN_OR_RETURN(auto body, JsonBody::parse(call.request.body));
               ESSC_ASSIGN_OR_RETURN(auto password, body.string("password"));
               ESSC_ASSIGN_OR_RETURN(
                   auto session,
                   usage.open_session(*call.actor.client, call.param("binding_id"), password));
               return json_response(
                   201, boost::json::object{{"session_token", session.token},
                                            {"expires_at", format_rfc3339(session.expires_at_ms)}});
             });

  router.add_session("POST", "/v1/ecards/{binding_id}/qrcodes", services::BindingUse::kUse,
                     [&](Call& call) -> Result<Response> {
                       const auto& holder = call.holder();
                       ESSC_ASSIGN_OR_RETURN(auto body, JsonBody::parse(call.request.body));
                       ESSC_ASSIGN_OR_RETURN(auto purpose, body.string("purpose"));
                       ESSC_ASSIGN_OR_RETURN(const auto png, wants_png(call, body));
                       ESSC_ASSIGN_OR_RETURN(const auto format, qr_format(body));
                       ESSC_ASSIGN_OR_RETURN(auto code, usage.issue_qr(holder, purpose, format));
                       ESSC_ASSIGN_OR_RETURN(auto answer, qr_code_view(code, png));
                       return json_response(201, std::move(answer));
                     });

  router.add_session(
      "GET", "/v1/ecards/{binding_id}/card-face", services::BindingUse::kUse,
      [&](Call& call) -> Result<Response> {
        const auto& holder = call.holder();
        // R-U3: masked unless the cardholder taps the eye; only an open session may reveal.
        const bool reveal = call.query_value("reveal") == "true";
        const auto& person = holder.person;
        boost::json::object face{
            {"name", reveal ? person.name : mask_name(person.name)},
            {"id_number", reveal ? person.id_number : mask_id_number(person.id_number)},
            {"card_no", reveal ? holder.card.card_no : mask_card_no(holder.card.card_no)},
            {"region_code", holder.card.region_code},
            {"bank_code", holder.card.bank_code},
            {"level", holder.binding.level},
            {"status", domain::to_string(holder.binding.status)},
            {"revealed", reveal}};
        add_place_names(face, holder.card.region_code, holder.card.bank_code);
        return json_response(200, std::move(face));
      },
      Work::kShortRead);

  router.add("GET", "/v1/ecards/{binding_id}/account", Access::kChannel, {},
             [&](Call& call) -> Result<Response> {
               ESSC_ASSIGN_OR_RETURN(auto a,
                                     records.account(*call.actor.client, call.param("binding_id")));
               return json_response(
                   200, boost::json::object{{"medical_account_balance_fen", a.balance_fen},
                                            {"year", a.year},
                                            {"fund_paid_this_year_fen", a.fund_paid_fen},
                                            {"deductible_used_fen", a.deductible_used_fen}});
             });

  router.add("GET", "/v1/ecards/{binding_id}/records", Access::kChannel, {},
             [&](Call& call) -> Result<Response> {
               ESSC_ASSIGN_OR_RETURN(auto query, record_query(call));
               ESSC_ASSIGN_OR_RETURN(
                   auto page, records.list(*call.actor.client, call.param("binding_id"), query));
               return json_response(200, records_view(query.kind, page));
             });

  // R-S8: the cardholder's own audit entry, with the inclusion proof the app checks
  // against the signed checkpoint; an entry about anyone else is NOT_FOUND.
  router.add_session(
      "GET", "/v1/ecards/{binding_id}/records/proof", services::BindingUse::kRead,
      [&](Call& call) -> Result<Response> {
        ESSC_ASSIGN_OR_RETURN(const auto index, count_parameter(call, "index"));
        const auto& holder = call.holder();
        ESSC_ASSIGN_OR_RETURN(const auto proof, audit.proof_for(holder.person.person_id,
                                                                static_cast<std::int64_t>(index)));
        boost::json::array inclusion;
        for (const auto& h : proof.inclusion.hashes) inclusion.emplace_back(crypto::to_base64(h));
        const auto entry = store::audit_entry_bytes(proof.entry);
        return json_response(
            200,
            boost::json::object{{"index", proof.inclusion.index},
                                {"size", proof.inclusion.size},
                                {"entry_base64", crypto::to_base64(entry)},
                                {"leaf_hash", crypto::to_base64(crypto::merkle_leaf_hash(entry))},
                                {"inclusion", std::move(inclusion)},
                                {"checkpoint", proof.checkpoint}});
      });

  router.add("POST", "/v1/ecards/{binding_id}/contributions", Access::kChannel, {},
             [&](Call& call) -> Result<Response> {
               ESSC_ASSIGN_OR_RETURN(auto body, JsonBody::parse(call.request.body));
               services::NewContribution request;
               ESSC_ASSIGN_OR_RETURN(request.password, body.string("password"));
               ESSC_ASSIGN_OR_RETURN(request.insurance, body.string("insurance"));
               ESSC_ASSIGN_OR_RETURN(request.period, body.string("period"));
               ESSC_ASSIGN_OR_RETURN(request.amount_fen, body.integer("amount_fen"));
               ESSC_ASSIGN_OR_RETURN(
                   auto outcome,
                   contributions.pay(*call.actor.client, call.param("binding_id"), request));
               const auto& c = outcome.contribution;
               boost::json::object answer{{"contribution_id", c.contribution_id},
                                          {"insurance", c.insurance},
                                          {"period", c.period},
                                          {"amount_fen", c.amount_fen},
                                          {"at", format_rfc3339(c.at_ms)}};
               // The period was paid before with this amount: nothing was debited again.
               if (outcome.replayed) answer["already_paid"] = true;
               return json_response(outcome.replayed ? 200 : 201, std::move(answer));
             });

  router.add("GET", "/v1/ecards/{binding_id}/contributions/due", Access::kChannel, {},
             [&](Call& call) -> Result<Response> {
               ESSC_ASSIGN_OR_RETURN(
                   auto due, contributions.due(*call.actor.client, call.param("binding_id")));
               boost::json::array items;
               for (const auto& d : due) {
                 items.push_back({{"insurance", domain::to_string(d.kind)},
                                  {"period", d.period.str()},
                                  {"amount_fen", d.amount_fen},
                                  {"paid", d.paid}});
               }
               return json_response(200, boost::json::object{{"items", std::move(items)}});
             });
}

}  // namespace essc::http
