// The HTTP API as a pure function from Request to Response (STYLE.md, Beast advanced
// server): parse the target, match a route, authenticate the caller, run the handler,
// render any Error from the one catalogue, and count it in the metrics. The server
// calls handle() on the I/O thread that read the request when runs_inline() says so (the
// route's Work, router.hpp), on a worker thread otherwise.
//
// Thread safety: handle() and runs_inline() may run concurrently on many threads.
#pragma once

#include <functional>
#include <string_view>

#include "http/metrics.hpp"
#include "http/router.hpp"
#include "services/platform.hpp"

namespace essc::http {

class Api {
 public:
  explicit Api(services::Platform& platform);
  Response handle(Request& request);
  // Whether the request's route may run on an I/O thread: Work::kMemory, or
  // Work::kShortRead on a store whose reads are local. false for no route.
  bool runs_inline(const Request& request) const;
  const Router& router() const { return router_; }
  const Metrics& metrics() const { return metrics_; }

 private:
  Result<Response> dispatch(Request& request, std::string& route_label);
  // For a signed short read or a (session) route, `settle` is set: the nonce's claim,
  // answered later with the client's record as it stands.
  Status authenticate(const Route& route, Call& call,
                      std::function<Result<domain::Client>()>& settle);
  // A (session) route's session and binding (Call::session), read once.
  Status open_session(const Route& route, Call& call);

  services::Platform& platform_;
  Router router_;
  Metrics metrics_;
};

// The embedded OpenAPI 3.1 document (src/http/openapi.json).
std::string_view openapi_document();

// Each area adds its routes (handlers/<area>.cpp).
void add_service_routes(Router& router, services::Platform& platform, const Metrics& metrics);
void add_operator_routes(Router& router, services::OperatorService& operators);
void add_client_routes(Router& router, services::ClientService& clients);
void add_audit_routes(Router& router, services::AuditService& audit,
                      const services::ClientService& clients, const services::Backlogs& backlogs);
void add_person_routes(Router& router, services::RegistryService& registry);
void add_card_routes(Router& router, services::RegistryService& registry);
void add_account_routes(Router& router, services::AccountService& accounts);
void add_verification_routes(Router& router, services::VerificationService& verifications);
void add_ecard_routes(Router& router, services::EcardService& ecards);
void add_sandbox_routes(Router& router, const adapters::SandboxSmsGateway& sms);
void add_use_routes(Router& router, services::AuditService& audit, services::UsageService& usage,
                    services::ContributionService& contributions, services::RecordService& records);
void add_settlement_routes(Router& router, services::UsageService& usage,
                           services::SettlementService& settlements);
void add_region_routes(Router& router, services::RegionService& regions);
void add_family_routes(Router& router, services::FamilyService& family);
void add_insurance_routes(Router& router, services::InsuranceRecords& insurance);
void add_risk_routes(Router& router, services::SettlementService& settlements,
                     services::RiskCases& risk_cases, services::RiskEvents& risk_events);
void add_certificate_routes(Router& router, services::CertificateService& certificates);
void add_stats_routes(Router& router, services::StatsService& stats);

}  // namespace essc::http
