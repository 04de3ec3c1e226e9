// Routes: method + path pattern ("/v1/cards/{card_no}/collect") → who may call it and
// the handler. A last segment "{name...}" takes the rest of the path, one segment or more
// joined by '/'. The router only matches; Api authenticates, calls and renders.
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
#include "services/context.hpp"
#include "services/ecards.hpp"

namespace essc::http {

enum class Access {
  kPublic,       // anyone
  kOperator,     // Authorization: Bearer <operator token>, with one of the route's roles
  kClient,       // signed by a channel or an institution (API.md "Authentication")
  kChannel,      // signed by a channel
  kInstitution,  // signed by an institution
  kSession,      // (session) in API.md: signed by a channel, with X-Essc-Session for the
                 // path's {binding_id}; the handler runs with that binding (Call::holder)
};

// Who reads the audit log, statistics, clearing and risk cases (API.md "Authentication").
inline const std::vector<domain::OperatorRole> kAdminOrAuditor{domain::OperatorRole::kAdmin,
                                                               domain::OperatorRole::kAuditor};

// What a route's handling costs, declared where the route is added; it decides which
// thread runs it (server.hpp "Threads", docs/architecture.md "Threads: what runs
// where"). Authentication is part of it: a signed request's client lookup is a read.
enum class Work {
  kBlocking,   // may wait: Argon2id, a write, an adapter, a long query: the worker pool
  kMemory,     // only memory: on the I/O thread that read the request, whatever the store
  kShortRead,  // memory and one short read transaction (Database::read_shared): on the I/O
               // thread when the store's reads are local (Database::reads_are_local)
};

struct Call {
  Request& request;
  std::vector<std::pair<std::string, std::string>> params;  // path parameters, decoded
  std::vector<std::pair<std::string, std::string>> query;   // query parameters, decoded
  services::Actor actor;                                    // set for non-public routes
  std::string bearer_token;                                 // set for operator routes
  std::optional<services::BindingView> session;             // set for (session) routes

  const std::string& param(std::string_view name) const;
  // The binding of a (session) route's checked session.
  const services::BindingView& holder() const;
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
  Work work = Work::kBlocking;
  services::BindingUse session_use = services::BindingUse::kUse;  // for kSession
};

class Router {
 public:
  void add(std::string method, std::string pattern, Access access,
           std::vector<domain::OperatorRole> roles, RouteHandler handler,
           Work work = Work::kBlocking);
  // A (session) route: `handler` runs once the channel's signature, its session and the
  // path's binding serving `use` have been checked (Api::dispatch).
  void add_session(std::string method, std::string pattern, services::BindingUse use,
                   RouteHandler handler, Work work = Work::kBlocking);

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
