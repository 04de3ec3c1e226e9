// 参保证明 (R-R3): the cardholder's certificates, POST/GET /v1/ecards/{binding_id}/
// certificates, its PDF and revocation, and the public check by verify code,
// GET /v1/certificates/{verify_code}, rate limited per source address.
#include "common/clock.hpp"
#include "http/api.hpp"
#include "http/json.hpp"

namespace essc::http {
namespace {

boost::json::object signature_view(const services::Certificate& c) {
  return {{"kid", c.signature_kid}, {"alg", c.signature_alg}, {"value", c.signature}};
}

boost::json::value period_value(const std::optional<domain::Period>& p) {
  return p ? boost::json::value(p->str()) : boost::json::value(nullptr);
}

// What anyone holding the code sees (API.md), with each insurance's name and employers.
boost::json::object checked_view(const services::Certificate& c) {
  const auto& content = c.document.content;
  boost::json::array summary;
  for (const auto& l : content.summary) {
    boost::json::array employers;
    for (const auto& e : l.employers) employers.emplace_back(e);
    summary.push_back({{"insurance", domain::to_string(l.insurance)},
                       {"name", domain::chinese_name(l.insurance)},
                       {"months", l.months},
                       {"first_period", period_value(l.first)},
                       {"last_period", period_value(l.last)},
                       {"employers", std::move(employers)}});
  }
  return {{"status", c.status},
          {"issued_at", format_rfc3339(c.document.issued_at_ms)},
          {"expires_at", format_rfc3339(c.document.expires_at_ms)},
          {"subject",
           {{"name_masked", content.name_masked}, {"id_number_masked", content.id_number_masked}}},
          {"period", {{"from", content.from.str()}, {"to", content.to.str()}}},
          {"summary", std::move(summary)},
          {"document_sha256", c.document_sha256},
          {"signature", signature_view(c)}};
}

// What the cardholder sees: the same, with the certificate's id and verify code.
boost::json::object own_view(const services::Certificate& c) {
  auto o = checked_view(c);
  o["certificate_id"] = c.certificate_id;
  o["verify_code"] = c.document.verify_code;
  return o;
}

Result<Response> issue(Call& call, services::CertificateService& certificates) {
  const auto& holder = call.holder();
  ESSC_ASSIGN_OR_RETURN(auto body, JsonBody::parse(call.request.body));
  ESSC_ASSIGN_OR_RETURN(auto from, body.string("from"));
  ESSC_ASSIGN_OR_RETURN(auto to, body.string("to"));
  ESSC_ASSIGN_OR_RETURN(auto c, certificates.issue(holder, from, to));
  return json_response(201, own_view(c));
}

Result<Response> pdf(Call& call, services::CertificateService& certificates) {
  const auto& holder = call.holder();
  ESSC_ASSIGN_OR_RETURN(auto bytes, certificates.pdf(holder, call.param("certificate_id")));
  Response r;
  r.content_type = "application/pdf";
  r.headers.emplace_back("Content-Disposition", "inline; filename=\"certificate.pdf\"");
  r.body = std::move(bytes);
  return r;
}

}  // namespace

void add_certificate_routes(Router& router, services::CertificateService& certificates) {
  router.add_session("POST", "/v1/ecards/{binding_id}/certificates", services::BindingUse::kManage,
                     [&](Call& call) { return issue(call, certificates); });
  router.add_session("GET", "/v1/ecards/{binding_id}/certificates", services::BindingUse::kRead,
                     [&](Call& call) -> Result<Response> {
                       const auto& holder = call.holder();
                       boost::json::array items;
                       for (const auto& c : certificates.list(holder)) {
                         items.push_back(own_view(c));
                       }
                       return json_response(200, boost::json::object{{"items", std::move(items)},
                                                                     {"next_cursor", nullptr}});
                     });
  router.add_session("GET", "/v1/ecards/{binding_id}/certificates/{certificate_id}/pdf",
                     services::BindingUse::kRead,
                     [&](Call& call) { return pdf(call, certificates); });
  router.add_session("POST", "/v1/ecards/{binding_id}/certificates/{certificate_id}/revoke",
                     services::BindingUse::kManage, [&](Call& call) -> Result<Response> {
                       const auto& holder = call.holder();
                       ESSC_TRY(certificates.revoke(holder, call.param("certificate_id")));
                       return no_content();
                     });
  router.add("GET", "/v1/certificates/{verify_code}", Access::kPublic, {},
             [&](Call& call) -> Result<Response> {
               ESSC_ASSIGN_OR_RETURN(auto c, certificates.check(call.request.peer_address,
                                                                call.param("verify_code")));
               return json_response(200, checked_view(c));
             });
}

}  // namespace essc::http
