// Routes: method + path pattern ("/v1/cards/{card_no}/collect") → who may call it and
// the handler. The router only matches; Api authenticates, calls and renders.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/result.hpp"
#include "domain/operator.hpp"
#include "http/message.hpp"
#include "services/platform.hpp"

namespace essc::http {

enum class Access {
  kPublic,    // anyone
  kOperator,  // Authorization: Bearer <operator token>, with one of the route's roles
  kClient,       // signed by a channel or an institution (API.md "Authentication")
  kChannel,      // signed by a channel
  kInstitution,  // signed by an institution
};

struct Call {
  Request& request;
  services::Platform& platform;
  std::vector<std::pair<std::string, std::string>> params;  // path parameters, decoded
  std::vector<std::pair<std::string, std::string>> query;   // query parameters, decoded
  services::Actor actor;                                    // set for non-public routes
  std::string bearer_token;                                 // set for operator routes

  const std::string& param(std::string_view name) const;
  std::optional<std::string> query_value(std::string_view name) const;
};

using RouteHandler = std::function<Result<Response>(Call&)>;

struct Route {
  std::string method;
  std::string pattern;
  Access access = Access::kPublic;
  std::vector<domain::OperatorRole> roles;  // for kOperator: who may call it
  RouteHandler handler;
  std::vector<std::string> segments;  // the pattern split at '/'
};

class Router {
 public:
  void add(std::string method, std::string pattern, Access access,
           std::vector<domain::OperatorRole> roles, RouteHandler handler);

  struct Match {
    const Route* route = nullptr;
    std::vector<std::pair<std::string, std::string>> params;
  };
  // The route for this method and decoded path segments, if any.
  std::optional<Match> match(std::string_view method, const std::vector<std::string>& path) const;
  const std::vector<Route>& routes() const { return routes_; }

 private:
  std::vector<Route> routes_;
};

}  // namespace essc::http
