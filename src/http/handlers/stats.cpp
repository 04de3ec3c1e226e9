// GET /v1/stats (admin): the dashboard's figures per China Standard Time day.
#include "domain/operator.hpp"
#include "http/api.hpp"
#include "http/json.hpp"

namespace essc::http {
namespace {

boost::json::object day_view(const services::DayStats& day) {
  boost::json::array issuances;
  for (const auto& i : day.issuances) {
    issuances.push_back({{"channel_id", i.channel_id},
                         {"channel_name", i.channel_name},
                         {"level", i.level},
                         {"count", i.count}});
  }
  boost::json::array settlements;
  for (const auto& s : day.settlements) {
    settlements.push_back({{"visit", s.visit},
                           {"count", s.count},
                           {"total_fen", s.total_fen},
                           {"fund_fen", s.fund_fen},
                           {"account_fen", s.account_fen},
                           {"self_pay_fen", s.self_pay_fen}});
  }
  boost::json::array refusals;
  for (const auto& [code, count] : day.refusals)
    refusals.push_back({{"code", code}, {"count", count}});
  const auto by_rule = [](const std::map<std::string, std::int64_t>& counts) {
    boost::json::array out;
    for (const auto& [rule, count] : counts) out.push_back({{"rule", rule}, {"count", count}});
    return out;
  };
  return {{"date", day.date},
          {"issuances", std::move(issuances)},
          {"settlements", std::move(settlements)},
          {"refusals", std::move(refusals)},
          {"family_members_added", day.family_members_added},
          {"risk_cases", by_rule(day.risk_cases)},
          {"risk_decisions", by_rule(day.risk_decisions)}};
}

}  // namespace

void add_stats_routes(Router& router, services::StatsService& stats) {
  router.add("GET", "/v1/stats", Access::kOperator, kAdminOrAuditor,
             [&](Call& call) -> Result<Response> {
               const auto from = call.query_value("from");
               if (!from) return Error::invalid_field("from");
               const auto to = call.query_value("to");
               if (!to) return Error::invalid_field("to");
               ESSC_ASSIGN_OR_RETURN(auto figures, stats.range(*from, *to));
               boost::json::array days;
               for (const auto& day : figures.days) days.push_back(day_view(day));
               boost::json::object live;
               for (const auto& [status, count] : figures.live_bindings) live[status] = count;
               return json_response(200, boost::json::object{{"from", figures.from},
                                                             {"to", figures.to},
                                                             {"days", std::move(days)},
                                                             {"live_bindings", std::move(live)}});
             });
}

}  // namespace essc::http
