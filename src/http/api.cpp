#include "http/api.hpp"

#include <algorithm>
#include <array>
#include <boost/url/parse.hpp>
#include <chrono>
#include <optional>
#include <string_view>
#include <utility>
#include <vector>

#include "common/log.hpp"
#include "domain/client.hpp"
#include "http/json.hpp"
#include "services/clients.hpp"
#include "store/database.hpp"

namespace essc::http {
namespace {

// The methods of RFC 9110 the platform may serve. A method is a label of the metrics
// and a field of the log only when it is one of these: any other string a caller sends
// would otherwise mint a series (and a log line) of its own.
constexpr std::array<std::string_view, 7> kKnownMethods{"GET",   "HEAD",   "POST",   "PUT",
                                                        "PATCH", "DELETE", "OPTIONS"};
constexpr std::string_view kOtherMethod = "other";
// RFC 9110 §15.5.6: a 405 names the methods the resource does serve.
constexpr std::string_view kServedMethods = "GET, HEAD, POST, PUT, PATCH, DELETE";

std::string_view method_label(std::string_view method) {
  for (const auto known : kKnownMethods) {
    if (method == known) return known;
  }
  return kOtherMethod;
}

// A client authenticated in full: nothing is left for its request to settle.
Result<services::OverlappedAuthentication> settled(Result<domain::Client> client) {
  if (!client) return std::move(client).error();
  return services::OverlappedAuthentication{std::move(*client), nullptr};
}

// The route this method and decoded path select, if any.
std::optional<Router::Match> match_route(const Router& router, const Request& request,
                                         const boost::urls::url_view& target) {
  std::vector<std::string> path;
  for (auto segment : target.segments()) path.emplace_back(segment);
  // HEAD is GET without the body (RFC 9110 §9.3.2); the server leaves the body out.
  return router.match(request.method == "HEAD" ? "GET" : request.method, path);
}

}  // namespace

Api::Api(services::Platform& platform) : platform_(platform) {
  add_service_routes(router_, platform, metrics_);
  add_operator_routes(router_, platform.operators);
  add_client_routes(router_, platform.clients);
  add_audit_routes(router_, platform.audit, platform.clients, platform.backlogs);
  add_person_routes(router_, platform.registry);
  add_card_routes(router_, platform.registry);
  add_account_routes(router_, platform.accounts);
  add_verification_routes(router_, platform.verifications);
  add_ecard_routes(router_, platform.ecards);
  add_use_routes(router_, platform.audit, platform.usage, platform.contributions, platform.records);
  add_settlement_routes(router_, platform.usage, platform.settlements);
  add_region_routes(router_, platform.regions);
  add_family_routes(router_, platform.family);
  add_insurance_routes(router_, platform.insurance);
  add_risk_routes(router_, platform.settlements, platform.risk_cases, platform.risk_events);
  add_certificate_routes(router_, platform.certificates);
  add_stats_routes(router_, platform.stats);
  if (platform.sandbox_sms) add_sandbox_routes(router_, *platform.sandbox_sms);
}

Response Api::handle(Request& request) {
  const auto started = std::chrono::steady_clock::now();
  std::string route_label = "unmatched";
  const std::string_view method = method_label(request.method);
  Response response;
  try {
    auto result = method == kOtherMethod ? Result<Response>(Error(ErrorCode::kMethodNotAllowed))
                                         : dispatch(request, route_label);
    response = result ? std::move(*result) : error_response(result.error(), request.request_id);
    if (!result && !result.error().detail.empty()) {
      // An INTERNAL answer is a fault of ours: it is logged where operators look.
      const bool fault = result.error().code == ErrorCode::kInternal;
      log_event(fault ? spdlog::level::err : spdlog::level::info,
                {{"event", "refused"},
                 {"request_id", request.request_id},
                 {"route", route_label},
                 {"code", error_code_name(result.error().code)},
                 {"detail", result.error().detail}});
    }
    if (method == kOtherMethod) response.headers.emplace_back("Allow", std::string(kServedMethods));
  } catch (const store::StoreError& e) {
    // A read that lost its store (a failover under way, the pool exhausted): the client
    // is told to come back, as a write would be; anything else is the store's fault.
    const bool passing = e.is_retryable() || e.kind() == store::StoreError::Kind::kUnavailable;
    log_event(passing ? spdlog::level::warn : spdlog::level::err,
              {{"event", passing ? "store_unavailable" : "exception"},
               {"request_id", request.request_id},
               {"route", route_label},
               {"detail", std::string_view(e.what())}});
    response =
        error_response(passing ? store::Database::unavailable("the store is unreachable; retry")
                               : Error(ErrorCode::kInternal),
                       request.request_id);
  } catch (const std::exception& e) {
    // Programmer error or a broken store: the client learns nothing of it; the log does.
    log_event(spdlog::level::err, {{"event", "exception"},
                                   {"request_id", request.request_id},
                                   {"route", route_label},
                                   {"detail", std::string_view(e.what())}});
    response = error_response(Error(ErrorCode::kInternal), request.request_id);
  }
  // Some answers carry a login token or an unmasked ID number (the card face on request):
  // no cache keeps them, and no browser reads them as anything but their type. Only a
  // route that says otherwise (a full audit tile: public hashes that never change) may
  // be cached.
  response.headers.emplace_back("X-Content-Type-Options", "nosniff");
  const bool cacheable = std::any_of(response.headers.begin(), response.headers.end(),
                                     [](const auto& h) { return h.first == "Cache-Control"; });
  if (!cacheable) response.headers.emplace_back("Cache-Control", "no-store");
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  metrics_.record(std::string(method), route_label, response.status, seconds);
  // Route patterns only: a concrete path may carry an ID number (R-S5).
  log_event(spdlog::level::info, {{"event", "request"},
                                  {"request_id", request.request_id},
                                  {"method", method},
                                  {"route", route_label},
                                  {"status", std::int64_t{response.status}},
                                  {"ms", seconds * 1000}});
  return response;
}

bool Api::runs_inline(const Request& request) const {
  const auto target = boost::urls::parse_origin_form(request.target);
  if (!target) return false;
  const auto match = match_route(router_, request, *target);
  if (!match) return false;
  switch (match->route->work) {
    case Work::kMemory:
      return true;
    case Work::kShortRead:
      return platform_.ctx.db.reads_are_local();
    case Work::kBlocking:
      return false;
  }
  return false;
}

Result<Response> Api::dispatch(Request& request, std::string& route_label) {
  auto target = boost::urls::parse_origin_form(request.target);
  if (!target) return Error::invalid_field("path", "unparseable target");
  auto match = match_route(router_, request, *target);
  if (!match) return Error(ErrorCode::kNotFound, "no route");
  const Route& route = *match->route;
  route_label = route.pattern;

  Call call{request, std::move(match->params), {}, services::Actor{}, {}, std::nullopt};
  for (auto param : target->params()) call.query.emplace_back(param.key, param.value);
  // Authenticated once: a shared read run again after its first flight found the server
  // gone (a failover) keeps the nonce its first run claimed.
  std::optional<Status> authenticated;
  std::function<Result<domain::Client>()> settle;
  const auto admit = [&]() -> Status {
    if (!authenticated) authenticated = authenticate(route, call, settle);
    ESSC_TRY(*authenticated);
    return route.access == Access::kSession ? open_session(route, call) : Status{};
  };
  const auto run = [&]() -> Result<Response> {
    const auto admitted = admit();
    auto response = admitted.ok() ? route.handler(call) : admitted.error();
    // A signed short read ran while its nonce's claim travelled: a replay's answer, or
    // one over the client's quota, goes nowhere.
    if (settle) ESSC_TRY(settle());
    return response;
  };
  // One snapshot for the caller's authentication and the handler's reads together.
  if (route.work == Work::kShortRead) return platform_.ctx.db.read_shared(run);
  if (route.access == Access::kSession) {
    // The channel's record, the session and the binding in one snapshot, and the nonce
    // settled before the handler acts: a replay is refused as one, whatever its session.
    const auto admitted = platform_.ctx.db.read_shared([&]() -> Status {
      auto status = admit();
      if (settle) {
        // The record as it stands, for the handler: until now it was as remembered.
        ESSC_ASSIGN_OR_RETURN(auto client, settle());
        call.actor = services::Actor::of_client(std::move(client));
        settle = nullptr;
      }
      return status;
    });
    ESSC_TRY(admitted);
  }
  return run();
}

Status Api::open_session(const Route& route, Call& call) {
  if (call.session) return {};
  const auto token = call.request.header("x-essc-session");
  if (!token) return Error(ErrorCode::kSessionInvalid, "no X-Essc-Session header");
  ESSC_ASSIGN_OR_RETURN(
      auto holder, platform_.usage.authenticate_session(
                       *call.actor.client, call.param("binding_id"), *token, route.session_use));
  call.session = std::move(holder);
  return {};
}

Status Api::authenticate(const Route& route, Call& call,
                         std::function<Result<domain::Client>()>& settle) {
  switch (route.access) {
    case Access::kPublic:
      return {};
    case Access::kOperator: {
      const auto header = call.request.header("authorization");
      constexpr std::string_view kBearer = "Bearer ";
      if (!header || !header->starts_with(kBearer)) {
        platform_.refusals.record(services::RefusalSource::kOperator, {},
                                  ErrorCode::kUnauthenticated);
        return Error(ErrorCode::kUnauthenticated);
      }
      call.bearer_token = std::string(header->substr(kBearer.size()));
      auto op = platform_.operators.authenticate(call.bearer_token);
      if (!op) {
        platform_.refusals.record(services::RefusalSource::kOperator, {}, op.error().code);
        return std::move(op).error();
      }
      bool allowed = false;
      for (auto role : route.roles) allowed = allowed || role == op->role;
      if (!allowed) return Error(ErrorCode::kForbidden, "role not allowed on this route");
      call.actor = services::Actor::of_operator(std::move(*op));
      return {};
    }
    case Access::kClient:
    case Access::kChannel:
    case Access::kInstitution:
    case Access::kSession: {
      auto header = [&](std::string_view name) -> std::optional<std::string> {
        auto value = call.request.header(name);
        return value ? std::optional<std::string>(std::string(*value)) : std::nullopt;
      };
      services::SignedRequest signed_request{header("x-essc-client"), header("x-essc-timestamp"),
                                             header("x-essc-nonce"),  header("x-essc-signature"),
                                             call.request.method,     call.request.target,
                                             call.request.body};
      // Only reads may run before the nonce is known fresh: a short read's, or a (session)
      // route's session check (dispatch settles it before the handler).
      auto client = route.work == Work::kShortRead || route.access == Access::kSession
                        ? platform_.clients.authenticate_overlapped(signed_request)
                        : settled(platform_.clients.authenticate(signed_request));
      if (!client) return std::move(client).error();
      settle = std::move(client->settle);
      const auto wanted = route.access == Access::kChannel || route.access == Access::kSession
                              ? std::optional(domain::ClientKind::kChannel)
                          : route.access == Access::kInstitution
                              ? std::optional(domain::ClientKind::kInstitution)
                              : std::nullopt;
      if (wanted && client->client.kind != *wanted)
        return Error(ErrorCode::kForbidden, "wrong kind of client for this route");
      call.actor = services::Actor::of_client(std::move(client->client));
      return {};
    }
  }
  return Error(ErrorCode::kInternal, "unknown access kind");
}

}  // namespace essc::http
