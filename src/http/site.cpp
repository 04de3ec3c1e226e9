#include "http/site.hpp"

namespace essc::http {

Site::Site(Api& api, StaticSite pages, std::optional<DemoBackend> demo)
    : api_(api), pages_(std::move(pages)), demo_(std::move(demo)) {}

Response Site::handle(Request& request) {
  // The API first and without a file lookup: it carries nearly all the traffic.
  if (request.target.starts_with("/v1/")) return api_.handle(request);
  if (demo_ && DemoBackend::serves(request.target)) return demo_->handle(request);
  if (auto page = pages_.serve(request)) return std::move(*page);
  return api_.handle(request);  // the operations endpoints, and 404 in the API's words
}

bool Site::runs_inline(const Request& request) const {
  if (request.target.starts_with("/v1/")) return api_.runs_inline(request);
  if (demo_ && DemoBackend::serves(request.target)) return false;
  // The operations endpoints (/healthz, /readyz, /metrics). handle() looks for a page of
  // that name first: a lookup among the embedded files, or one stat() under --web-dir.
  return api_.runs_inline(request);
}

}  // namespace essc::http
