// The insurance history: POST /v1/persons/{id_number}/insurance-records (R-R1) and the
// cardholder's 社保查询, GET /v1/ecards/{binding_id}/insurance (R-R2).
#include "common/limits.hpp"
#include "domain/operator.hpp"
#include "http/api.hpp"
#include "http/json.hpp"
#include "http/views.hpp"

namespace essc::http {
namespace {

// The items as they came: types here, values in the service (the first bad field
// answers, named `items[i].field`).
Result<std::vector<domain::InsuranceRecordInput>> read_insurance_items(const JsonBody& body) {
  const auto* items = body.fields().if_contains("items");
  if (!items || !items->is_array() || items->as_array().empty() ||
      items->as_array().size() > limits::kInsuranceRecordsPerRequestMax) {
    return Error::invalid_field("items");
  }
  std::vector<domain::InsuranceRecordInput> out;
  out.reserve(items->as_array().size());
  for (const auto& value : items->as_array()) {
    const std::string prefix = "items[" + std::to_string(out.size()) + "]";
    if (!value.is_object()) return Error::invalid_field(prefix);
    const auto& o = value.as_object();
    const auto text = [&](const char* name, std::string& target) -> Status {
      const auto* v = o.if_contains(name);
      if (!v || !v->is_string()) return Error::invalid_field(prefix + "." + name);
      target = std::string(v->as_string());
      return {};
    };
    const auto integer = [&](const char* name, std::int64_t& target) -> Status {
      const auto* v = o.if_contains(name);
      if (!v || !v->is_int64()) return Error::invalid_field(prefix + "." + name);
      target = v->as_int64();
      return {};
    };
    domain::InsuranceRecordInput item;
    ESSC_TRY(text("insurance", item.insurance));
    ESSC_TRY(text("period", item.period));
    ESSC_TRY(integer("base_fen", item.base_fen));
    ESSC_TRY(integer("employer_fen", item.employer_fen));
    ESSC_TRY(integer("personal_fen", item.personal_fen));
    ESSC_TRY(text("employer_name", item.employer_name));
    ESSC_TRY(text("region_code", item.region_code));
    out.push_back(std::move(item));
  }
  return out;
}

boost::json::object month_view(const domain::InsuranceRecord& r) {
  boost::json::object o{{"period", r.period.str()},         {"base_fen", r.base_fen},
                        {"employer_fen", r.employer_fen},   {"personal_fen", r.personal_fen},
                        {"employer_name", r.employer_name}, {"region_code", r.region_code}};
  add_place_names(o, r.region_code);
  return o;
}

boost::json::object history_view(const services::InsuranceHistory& h) {
  const auto& s = h.summary;
  boost::json::array months, gaps, years, employers;
  for (const auto& r : h.months) months.push_back(month_view(r));
  for (const auto& g : s.gaps) {
    gaps.push_back({{"from", g.from.str()}, {"to", g.to.str()}, {"months", g.months}});
  }
  for (const auto& [year, count] : s.months_per_year) {
    years.push_back({{"year", year}, {"months", count}});
  }
  for (const auto& e : s.employers) employers.emplace_back(e);
  return {{"insurance", domain::to_string(h.insurance)},
          {"name", domain::chinese_name(h.insurance)},
          {"status", h.status},
          {"months_paid", s.months_paid},
          {"first_period", s.first ? boost::json::value(s.first->str()) : nullptr},
          {"last_period", s.last ? boost::json::value(s.last->str()) : nullptr},
          {"gaps", std::move(gaps)},
          {"years", std::move(years)},
          {"employers", std::move(employers)},
          {"months", std::move(months)}};
}

}  // namespace

void add_insurance_routes(Router& router, services::InsuranceRecords& insurance) {
  router.add("POST", "/v1/persons/{id_number}/insurance-records", Access::kOperator,
             {domain::OperatorRole::kAdmin, domain::OperatorRole::kHrClerk},
             [&](Call& call) -> Result<Response> {
               ESSC_ASSIGN_OR_RETURN(auto body, JsonBody::parse(call.request.body));
               ESSC_ASSIGN_OR_RETURN(auto items, read_insurance_items(body));
               ESSC_ASSIGN_OR_RETURN(auto count,
                                     insurance.add(call.actor, call.param("id_number"), items));
               return json_response(201, boost::json::object{{"added", count.added},
                                                             {"unchanged", count.unchanged}});
             });

  router.add_session("GET", "/v1/ecards/{binding_id}/insurance", services::BindingUse::kRead,
                     [&](Call& call) -> Result<Response> {
                       const auto& holder = call.holder();
                       boost::json::array items;
                       for (const auto& h : insurance.history(holder)) {
                         items.push_back(history_view(h));
                       }
                       return json_response(200, boost::json::object{{"items", std::move(items)}});
                     });
}

}  // namespace essc::http
