// Family accounts (亲情账户, R-F1…R-F4): a holder's members, their codes and records, and
// a member's own view of the holders who may show their code. Every route is (session).
#include "common/clock.hpp"
#include "common/masking.hpp"
#include "http/api.hpp"
#include "http/json.hpp"
#include "http/query.hpp"
#include "http/views.hpp"

namespace essc::http {
namespace {

boost::json::object member_view(const services::MemberView& m) {
  return {{"member_id", m.id},
          {"name_masked", mask_name(m.person.name)},
          {"id_number_masked", mask_id_number(m.person.id_number)},
          {"relation", m.record.relation},
          {"status", "active"},
          {"consented", m.record.consented},
          {"since", format_rfc3339(m.record.created_at_ms)}};
}

boost::json::object guardian_view(const services::MemberView& m) {
  return {{"guardian_id", m.id},
          {"name_masked", mask_name(m.person.name)},
          {"relation", m.record.relation},
          {"since", format_rfc3339(m.record.created_at_ms)}};
}

template <class View>
boost::json::object list_of(const std::vector<services::MemberView>& rows, View view) {
  boost::json::array items;
  for (const auto& row : rows) items.push_back(view(row));
  return {{"items", std::move(items)}, {"next_cursor", nullptr}};
}

Result<Response> done(Status status) {
  if (!status) return std::move(status).error();
  return no_content();
}

Result<Response> member_code(Call& call, services::FamilyService& family) {
  const auto& holder = call.holder();
  ESSC_ASSIGN_OR_RETURN(auto body, JsonBody::parse(call.request.body));
  ESSC_ASSIGN_OR_RETURN(auto purpose, body.string("purpose"));
  ESSC_ASSIGN_OR_RETURN(const auto png, wants_png(call, body));
  ESSC_ASSIGN_OR_RETURN(const auto format, qr_format(body));
  ESSC_ASSIGN_OR_RETURN(auto code,
                        family.issue_qr(holder, call.param("member_id"), purpose, format));
  ESSC_ASSIGN_OR_RETURN(auto answer, qr_code_view(code, png));
  return json_response(201, std::move(answer));
}

Result<Response> member_records(Call& call, services::FamilyService& family) {
  const auto& holder = call.holder();
  ESSC_ASSIGN_OR_RETURN(auto query, record_query(call));
  ESSC_ASSIGN_OR_RETURN(auto page, family.records(holder, call.param("member_id"), query));
  return json_response(200, records_view(query.kind, page));
}

}  // namespace

void add_family_routes(Router& router, services::FamilyService& family) {
  router.add_session(
      "POST", "/v1/ecards/{binding_id}/family", services::BindingUse::kUse,
      [&](Call& call) -> Result<Response> {
        const auto& holder = call.holder();
        ESSC_ASSIGN_OR_RETURN(auto body, JsonBody::parse(call.request.body));
        services::NewMember request;
        ESSC_ASSIGN_OR_RETURN(request.name, body.string("name"));
        ESSC_ASSIGN_OR_RETURN(request.id_number, body.string("id_number"));
        ESSC_ASSIGN_OR_RETURN(request.relation, body.string("relation"));
        ESSC_ASSIGN_OR_RETURN(request.verification_id, body.optional_string("verification_id"));
        ESSC_ASSIGN_OR_RETURN(auto member, family.add(*call.actor.client, holder, request));
        return json_response(201, member_view(member));
      });

  router.add_session("GET", "/v1/ecards/{binding_id}/family", services::BindingUse::kUse,
                     [&](Call& call) -> Result<Response> {
                       const auto& holder = call.holder();
                       return json_response(200, list_of(family.members(holder), member_view));
                     });

  router.add_session(
      "DELETE", "/v1/ecards/{binding_id}/family/{member_id}", services::BindingUse::kUse,
      [&](Call& call) -> Result<Response> {
        const auto& holder = call.holder();
        return done(family.remove(*call.actor.client, holder, call.param("member_id")));
      });

  router.add_session("POST", "/v1/ecards/{binding_id}/family/{member_id}/qrcodes",
                     services::BindingUse::kUse,
                     [&](Call& call) { return member_code(call, family); });
  router.add_session("GET", "/v1/ecards/{binding_id}/family/{member_id}/records",
                     services::BindingUse::kUse,
                     [&](Call& call) { return member_records(call, family); });

  router.add_session("GET", "/v1/ecards/{binding_id}/guardians", services::BindingUse::kUse,
                     [&](Call& call) -> Result<Response> {
                       const auto& member = call.holder();
                       return json_response(200, list_of(family.guardians(member), guardian_view));
                     });

  router.add_session(
      "DELETE", "/v1/ecards/{binding_id}/guardians/{guardian_id}", services::BindingUse::kUse,
      [&](Call& call) -> Result<Response> {
        const auto& member = call.holder();
        return done(family.withdraw(*call.actor.client, member, call.param("guardian_id")));
      });
}

}  // namespace essc::http
