// GET /healthz, /readyz, /metrics, /openapi.json: public, no personal data.
#include "common/clock.hpp"
#include "crypto/encoding.hpp"
#include "http/api.hpp"
#include "http/json.hpp"
#include "store/migrations.hpp"

namespace essc::http {

void add_service_routes(Router& router, const Metrics& metrics) {
  router.add("GET", "/healthz", Access::kPublic, {}, [](Call&) -> Result<Response> {
    return json_response(200, boost::json::object{{"status", "ok"}});
  });
  router.add("GET", "/readyz", Access::kPublic, {}, [](Call& call) -> Result<Response> {
    auto& db = call.platform.ctx.db;
    const bool ready = db.ready() && db.schema_version() == store::latest_schema_version();
    if (!ready) return Error(ErrorCode::kUnavailable, "database not ready");
    return json_response(200, boost::json::object{{"status", "ready"},
                                                  {"schema_version", db.schema_version()}});
  });
  router.add("GET", "/metrics", Access::kPublic, {}, [&metrics](Call& call) -> Result<Response> {
    Response r;
    r.content_type = "text/plain; version=0.0.4";
    r.body = metrics.render();
    const auto& db = call.platform.ctx.db;
    r.body += "# HELP essc_db_write_batches_total Group commits (one fsync each).\n";
    r.body += "# TYPE essc_db_write_batches_total counter\n";
    r.body += "essc_db_write_batches_total " + std::to_string(db.batches_committed()) + "\n";
    r.body += "# HELP essc_db_write_jobs_total Write transactions committed.\n";
    r.body += "# TYPE essc_db_write_jobs_total counter\n";
    r.body += "essc_db_write_jobs_total " + std::to_string(db.jobs_committed()) + "\n";
    // Labels from two fixed sets (source kinds, error codes): never from the request.
    r.body += "# HELP essc_auth_refusals_total Refused calls of unauthenticated callers, by source and reason.\n";
    r.body += "# TYPE essc_auth_refusals_total counter\n";
    for (const auto& total : call.platform.refusals.totals()) {
      r.body += "essc_auth_refusals_total{source=\"" + total.source + "\",reason=\"" + total.reason + "\"} " +
                std::to_string(total.count) + "\n";
    }
    return r;
  });
  router.add("GET", "/v1/keys", Access::kPublic, {}, [](Call& call) -> Result<Response> {
    // R-U2: institutions verify QR codes offline with these; rotated keys stay listed.
    boost::json::array keys;
    for (const auto& key : call.platform.ctx.qr.public_keys()) {
      keys.push_back(boost::json::object{{"kid", key.kid},
                                         {"alg", key.algorithm},
                                         {"public_key", crypto::to_base64(key.public_key)},
                                         {"created_at", format_rfc3339(key.created_at_ms)},
                                         // Keys are retired by rotation; none has an end date until then.
                                         {"not_after", nullptr}});
    }
    return json_response(200, boost::json::object{{"keys", std::move(keys)}});
  });
  router.add("GET", "/openapi.json", Access::kPublic, {}, [](Call&) -> Result<Response> {
    Response r;
    r.body = std::string(openapi_document());
    return r;
  });
}

}  // namespace essc::http
