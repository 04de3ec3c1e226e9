// GET /healthz, /readyz, /metrics, /openapi.json: public, no personal data.
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
    return r;
  });
  router.add("GET", "/openapi.json", Access::kPublic, {}, [](Call&) -> Result<Response> {
    Response r;
    r.body = std::string(openapi_document());
    return r;
  });
}

}  // namespace essc::http
