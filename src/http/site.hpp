// Everything essc answers over HTTP: the API under /v1 (and the operations endpoints),
// the web pages, and in demo mode the demo client backend under /demo/api.
//
// Thread safety: handle() and runs_inline() may run concurrently on many threads.
#pragma once

#include <optional>

#include "http/api.hpp"
#include "http/demo_backend.hpp"
#include "http/static_site.hpp"

namespace essc::http {

class Site {
 public:
  Site(Api& api, StaticSite pages, std::optional<DemoBackend> demo);
  Response handle(Request& request);
  // Whether the server may answer the request on its I/O thread (Api::runs_inline). The
  // pages and the demo backend stay on the worker pool: a page may come from disk
  // (--web-dir) and a demo call is a signed API call of any kind.
  bool runs_inline(const Request& request) const;

 private:
  Api& api_;
  StaticSite pages_;
  std::optional<DemoBackend> demo_;
};

}  // namespace essc::http
