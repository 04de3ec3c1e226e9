// One card across the country (R-X2, R-X3): cross-region filings at the HR counter and
// the platform-wide daily clearing between regions.
#include "common/clock.hpp"
#include "domain/operator.hpp"
#include "http/api.hpp"
#include "http/json.hpp"
#include "http/views.hpp"

namespace essc::http {
namespace {

using domain::OperatorRole;

boost::json::object filing_view(const domain::Filing& f) {
  boost::json::object o{{"filing_id", f.filing_id},
                        {"treatment_region", f.treatment_region},
                        {"from", f.from_day},
                        {"to", f.to_day},
                        {"created_at", format_rfc3339(f.created_at_ms)}};
  add_place_names(o, f.treatment_region);
  return o;
}

boost::json::object clearing_line_view(const domain::ClearingLine& line) {
  boost::json::object o{{"insured_region", line.insured_region},
                        {"treatment_region", line.treatment_region},
                        {"settlements", line.settlements},
                        {"refunds", line.refunds},
                        {"fund_fen", line.fund_fen},
                        {"account_fen", line.account_fen}};
  add_region_name(o, "insured", line.insured_region);
  add_region_name(o, "treatment", line.treatment_region);
  return o;
}

boost::json::object filings_view(const std::vector<domain::Filing>& filings) {
  boost::json::array items;
  for (const auto& f : filings) items.push_back(filing_view(f));
  return {{"items", std::move(items)}, {"next_cursor", nullptr}};
}

}  // namespace

void add_region_routes(Router& router, services::RegionService& regions) {
  router.add("POST", "/v1/persons/{id_number}/filings", Access::kOperator,
             {domain::OperatorRole::kHrClerk}, [&](Call& call) -> Result<Response> {
               ESSC_ASSIGN_OR_RETURN(auto body, JsonBody::parse(call.request.body));
               services::NewFiling request;
               ESSC_ASSIGN_OR_RETURN(request.treatment_region, body.string("treatment_region"));
               ESSC_ASSIGN_OR_RETURN(request.from, body.string("from"));
               ESSC_ASSIGN_OR_RETURN(request.to, body.string("to"));
               ESSC_ASSIGN_OR_RETURN(
                   auto filing, regions.add_filing(call.actor, call.param("id_number"), request));
               return json_response(201, filing_view(filing));
             });

  router.add("GET", "/v1/persons/{id_number}/filings", Access::kOperator,
             {domain::OperatorRole::kAdmin, domain::OperatorRole::kHrClerk},
             [&](Call& call) -> Result<Response> {
               ESSC_ASSIGN_OR_RETURN(auto filings, regions.filings(call.param("id_number")));
               return json_response(200, filings_view(filings));
             });

  router.add("DELETE", "/v1/persons/{id_number}/filings/{filing_id}", Access::kOperator,
             {domain::OperatorRole::kHrClerk}, [&](Call& call) -> Result<Response> {
               ESSC_TRY(regions.remove_filing(call.actor, call.param("id_number"),
                                              call.param("filing_id")));
               return no_content();
             });

  // The cardholder's own filings, listed in the app (R-X2).
  router.add_session("GET", "/v1/ecards/{binding_id}/filings", services::BindingUse::kUse,
                     [&](Call& call) -> Result<Response> {
                       const auto& holder = call.holder();
                       return json_response(
                           200, filings_view(regions.filings_of_person(holder.person.person_id)));
                     });

  router.add("GET", "/v1/clearing", Access::kOperator, kAdminOrAuditor,
             [&](Call& call) -> Result<Response> {
               const auto date = call.query_value("date");
               if (!date) return Error::invalid_field("date");
               ESSC_ASSIGN_OR_RETURN(auto day, regions.clearing(*date));
               boost::json::array items;
               for (const auto& line : day.lines) items.push_back(clearing_line_view(line));
               boost::json::object totals{{"settlements", day.totals.settlements},
                                          {"refunds", day.totals.refunds},
                                          {"fund_fen", day.totals.fund_fen},
                                          {"account_fen", day.totals.account_fen}};
               return json_response(200, boost::json::object{{"date", *date},
                                                             {"items", std::move(items)},
                                                             {"next_cursor", nullptr},
                                                             {"totals", std::move(totals)}});
             });
}

}  // namespace essc::http
