// The demo client backend (`essc demo` only): the server side of the demo cardholder app
// and the demo till. A channel's or an institution's secret must never reach a browser,
// so the pages call /demo/api/<key>/v1/… and this backend signs each call as that demo
// client, exactly as a channel's own backend would (API.md "Authentication"), before the
// platform checks it like any other signed request.
//
//   GET  /demo/api/clients             the demo clients: key, name, kind, type (no secrets)
//   ANY  /demo/api/<key>/v1/<rest>     /v1/<rest> signed as client <key>; the body and the
//                                      X-Essc-Session and Idempotency-Key headers pass on
//
// Thread safety: handle() may run concurrently on many threads.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "common/clock.hpp"
#include "http/api.hpp"

namespace essc::http {

struct DemoClient {
  std::string key;  // the path segment: gov, bank, wallet, pharmacy, hospital, hall
  std::string name;
  std::string kind;  // channel | institution
  std::string type;  // gov | bank | third_party | pharmacy | hospital | service_hall
  std::string client_id;
  std::string client_secret;
};

class DemoBackend {
 public:
  DemoBackend(Api& api, const Clock& clock, std::vector<DemoClient> clients);

  static bool serves(std::string_view target) { return target.starts_with(kPrefix); }
  // REQUIRES: serves(request.target).
  Response handle(Request& request);

 private:
  static constexpr std::string_view kPrefix = "/demo/api/";

  Api& api_;
  const Clock& clock_;
  std::vector<DemoClient> clients_;
};

}  // namespace essc::http
