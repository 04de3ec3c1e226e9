// GET /healthz, /readyz, /metrics, /openapi.json, /v1/keys, /v1/rules: public, no
// personal data.
#include "common/clock.hpp"
#include "common/error.hpp"
#include "common/limits.hpp"
#include "common/prometheus_text.hpp"
#include "crypto/encoding.hpp"
#include "domain/card_state.hpp"
#include "domain/password_rules.hpp"
#include "domain/region_code.hpp"
#include "http/api.hpp"
#include "http/json.hpp"
#include "services/platform.hpp"
#include "services/settlements.hpp"
#include "store/migrations.hpp"

namespace essc::http {
namespace {

// One unlabelled counter or gauge in the Prometheus text format.
void append_metric(std::string& body, std::string_view name, std::string_view help,
                   std::string_view type, std::uint64_t value) {
  append_metric_header(body, name, help, type);
  body.append(name).append(" ").append(std::to_string(value)).append("\n");
}

void append_counter(std::string& body, std::string_view name, std::string_view help,
                    std::uint64_t value) {
  append_metric(body, name, help, "counter", value);
}

boost::json::object password_rules() {
  boost::json::array reasons;
  for (const auto reason : domain::kWeakPasswordReasons) {
    reasons.push_back(
        boost::json::object{{"reason", reason},
                            {"message", domain::weak_password_message_zh(reason)},
                            {"message_en", domain::weak_password_message_en(reason)}});
  }
  return {{"length", 6},
          {"reasons", std::move(reasons)},
          {"generic", boost::json::object{{"message", domain::weak_password_message_zh("")},
                                          {"message_en", domain::weak_password_message_en("")}}}};
}

// R-C1 as the domain table answers it: every (state, action) pair that is allowed.
boost::json::object card_rules() {
  boost::json::array states;
  boost::json::array transitions;
  boost::json::object bindings;
  for (int s = 0; s < domain::kCardStatusCount; ++s) {
    const auto from = static_cast<domain::CardStatus>(s);
    states.push_back(boost::json::object{
        {"status", domain::to_string(from)},
        {"terminal", domain::is_terminal(from)},
        {"binding_status", domain::to_string(domain::binding_status_for(from))}});
    for (int a = 0; a < domain::kCardActionCount; ++a) {
      const auto action = static_cast<domain::CardAction>(a);
      const auto to = domain::next_status(from, action);
      if (!to) continue;
      transitions.push_back(boost::json::object{{"from", domain::to_string(from)},
                                                {"action", domain::to_string(action)},
                                                {"to", domain::to_string(*to)}});
    }
  }
  return {{"states", std::move(states)}, {"transitions", std::move(transitions)}};
}

// Who may do what at the counter, read from the routes themselves: each card action by
// its console name ("financial/activate" is "financial-activate"), and issuing a card,
// registering and looking up a person, reading the audit log and the risk cases.
boost::json::object operator_roles(const Router& router) {
  constexpr std::string_view kCard = "/v1/cards/{card_no}/";
  boost::json::object roles;
  for (const auto& route : router.routes()) {
    if (route.access != Access::kOperator) continue;
    std::string name;
    if (route.method != "GET" && route.pattern.starts_with(kCard))
      name = route.pattern.substr(kCard.size());
    if (name == "financial/activate") name = "financial-activate";
    if (name == "financial/reserved-phone") name = "reserved-phone";
    if (route.method == "POST" && route.pattern == "/v1/cards") name = "issue-card";
    if (route.method == "POST" && route.pattern == "/v1/persons") name = "register-person";
    if (route.method == "GET" && route.pattern == "/v1/audit") name = "read-audit";
    if (route.method == "GET" && route.pattern == "/v1/persons/{id_number}") name = "lookup-person";
    if (route.method == "GET" && route.pattern == "/v1/risk/cases") name = "read-risk-cases";
    if (name.empty()) continue;
    boost::json::array who;
    for (const auto role : route.roles) who.push_back(boost::json::string(domain::to_string(role)));
    roles[name] = std::move(who);
  }
  return roles;
}

// The error catalogue (API.md "Errors"): every code with its status and its Chinese and
// English words, so the pages label a code (a refusal in a chart, an audit outcome, an
// authentication attempt) from the table the platform answers with, not from copies.
boost::json::array error_catalogue() {
  boost::json::array errors;
  for (int i = 0; i < kErrorCodeCount; ++i) {
    const auto& info = error_info(static_cast<ErrorCode>(i));
    errors.push_back(boost::json::object{{"code", info.code},
                                         {"status", info.http_status},
                                         {"message", info.message_zh},
                                         {"message_en", info.message_en}});
  }
  return errors;
}

// The regions the platform settles in (a policy loaded for each) with their names: the
// console offers these as 就医地 rather than asking for a 6-digit code.
boost::json::array region_list(const services::SettlementService& settlements) {
  const auto policies = settlements.policies().current();
  boost::json::array regions;
  for (const auto& [code, policy] : *policies) {
    boost::json::object region{{"code", code}};
    if (const auto name = domain::region_name(code)) {
      region["name"] = name->zh;
      region["name_en"] = name->en;
    }
    regions.push_back(std::move(region));
  }
  return regions;
}

boost::json::object bill_rules() {
  return {{"categories", boost::json::array{"A", "B", "C"}},
          {"items_max", limits::kBillItemsMax},
          {"quantity_max", limits::kItemQuantityMax},
          {"unit_price_fen_max", limits::kItemUnitPriceFenMax},
          {"total_fen_max", limits::kBillTotalFenMax}};
}

}  // namespace

void add_service_routes(Router& router, services::Platform& platform, const Metrics& metrics) {
  router.add(
      "GET", "/healthz", Access::kPublic, {},
      [](Call&) -> Result<Response> {
        return json_response(200, boost::json::object{{"status", "ok"}});
      },
      Work::kMemory);
  router.add("GET", "/readyz", Access::kPublic, {}, [&platform](Call&) -> Result<Response> {
    auto& db = platform.ctx.db;
    // On PostgreSQL ready() asks whether a writable primary answers (at most once a
    // second); a balancer takes this process out while it cannot reach one.
    const int version = db.ready() ? db.schema_version() : 0;
    if (version != store::latest_schema_version()) {
      return store::Database::unavailable(
          "database not ready: no writable primary or an old schema");
    }
    return json_response(200,
                         boost::json::object{{"status", "ready"}, {"schema_version", version}});
    // Not a shared read: the probe takes a connection of its own with a short timeout,
    // so a balancer hears of an exhausted pool at once instead of after the pool's wait.
  });
  router.add(
      "GET", "/metrics", Access::kPublic, {},
      [&metrics, &platform](Call&) -> Result<Response> {
        Response r;
        r.content_type = "text/plain; version=0.0.4";
        r.body = metrics.render();
        const auto& db = platform.ctx.db;
        append_counter(r.body, "essc_db_write_batches_total", "Group commits (one fsync each).",
                       db.batches_committed());
        append_counter(r.body, "essc_db_write_jobs_total", "Write transactions committed.",
                       db.jobs_committed());
        append_counter(r.body, "essc_db_write_retries_total",
                       "Write transactions run again after a conflict or a lost server.",
                       db.write_retries());
        append_metric(r.body, "essc_db_write_queue_jobs",
                      "Write transactions waiting for the embedded store's writer.", "gauge",
                      db.writes_waiting());
        append_counter(r.body, "essc_db_read_transactions_total",
                       "Read transactions begun (one per short read request).",
                       db.read_transactions());
        append_counter(r.body, "essc_db_round_trips_total",
                       "Round trips to a PostgreSQL store waited for (0 on SQLite).",
                       db.round_trips());
        // Labels from two fixed sets (source kinds, error codes): never from the request.
        r.body +=
            "# HELP essc_auth_refusals_total Refused calls of unauthenticated callers, by source "
            "and reason.\n";
        r.body += "# TYPE essc_auth_refusals_total counter\n";
        for (const auto& total : platform.refusals.totals()) {
          r.body += "essc_auth_refusals_total{source=\"" + total.source + "\",reason=\"" +
                    total.reason + "\"} " + std::to_string(total.count) + "\n";
        }
        r.body += platform.checkpoint_delays.render();
        r.body += platform.backlogs.render();
        r.body += platform.certificates.render_checks();
        r.body += platform.pii_resealer.render();
        return r;
      },
      Work::kMemory);
  router.add(
      "GET", "/v1/keys", Access::kPublic, {},
      [&platform](Call&) -> Result<Response> {
        // R-U2: institutions verify QR codes offline with these; rotated keys stay listed.
        // A key a rotation retired (R-S9) stays listed, with its end, while a code it
        // signed may still be valid. The audit log has a key of its own (/v1/audit/key).
        boost::json::array keys;
        const auto now = platform.ctx.clock.now_ms();
        for (const auto& key : platform.ctx.qr.public_keys()) {
          const auto not_after = key.retired_at_ms + limits::kQrKeyRetiredPublishedMs;
          if (key.retired_at_ms != 0 && not_after <= now) continue;
          keys.push_back(boost::json::object{
              {"kid", key.kid},
              {"alg", key.algorithm},
              {"public_key", crypto::to_base64(key.public_key)},
              {"created_at", format_rfc3339(key.created_at_ms)},
              {"not_after", key.retired_at_ms == 0
                                ? boost::json::value(nullptr)
                                : boost::json::value(format_rfc3339(not_after))}});
        }
        return json_response(200, boost::json::object{{"keys", std::move(keys)}});
      },
      Work::kMemory);
  router.add(
      "GET", "/v1/rules", Access::kPublic, {},
      [&router, &platform](Call&) -> Result<Response> {
        // The tables the pages check as people type, from the code the platform enforces.
        return json_response(200,
                             boost::json::object{{"password", password_rules()},
                                                 {"card", card_rules()},
                                                 {"operator_roles", operator_roles(router)},
                                                 {"bill", bill_rules()},
                                                 {"errors", error_catalogue()},
                                                 {"regions", region_list(platform.settlements)}});
      },
      Work::kMemory);
  router.add(
      "GET", "/openapi.json", Access::kPublic, {},
      [](Call&) -> Result<Response> {
        Response r;
        r.body = std::string(openapi_document());
        return r;
      },
      Work::kMemory);
}

}  // namespace essc::http
