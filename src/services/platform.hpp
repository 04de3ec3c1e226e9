// The platform's use cases, built once over one Context and shared by every caller
// (the HTTP API and the command line).
#pragma once

#include "adapters/sandbox_sms.hpp"
#include "services/accounts.hpp"
#include "services/audit.hpp"
#include "services/audit_sequencer.hpp"
#include "services/backlogs.hpp"
#include "services/certificates.hpp"
#include "services/clients.hpp"
#include "services/context.hpp"
#include "services/contributions.hpp"
#include "services/ecards.hpp"
#include "services/family.hpp"
#include "services/insurance.hpp"
#include "services/operators.hpp"
#include "services/pii_resealer.hpp"
#include "services/records.hpp"
#include "services/refusal_log.hpp"
#include "services/regions.hpp"
#include "services/registry.hpp"
#include "services/risk_cases.hpp"
#include "services/risk_events.hpp"
#include "services/settlements.hpp"
#include "services/stats.hpp"
#include "services/usage.hpp"
#include "services/verifications.hpp"

namespace essc::services {

struct Platform {
  // With `sandbox_sms`, the server runs in sandbox mode and shows the messages it "sent".
  Platform(Context& context, AuditLogKey audit_key,
           adapters::SandboxSmsGateway* sandbox_sms_gateway = nullptr,
           std::map<std::string, domain::RegionPolicy, std::less<>> region_policies = {})
      : ctx(context),
        sandbox_sms(sandbox_sms_gateway),
        refusals(context.clock, context.db),
        operators(context.clock, context.db, context.hasher, refusals),
        clients(context.clock, context.db, context.nonces, context.vault, context.clients,
                refusals),
        registry(context),
        accounts(context.clock, context.db, context.vault, context.bank),
        audit(context.db, std::move(audit_key)),
        verifications(context),
        policies(std::move(region_policies)),
        ecards(context, registry, policies),
        usage(context, ecards, policies),
        settlements(context, policies),
        contributions(context, ecards, settlements),
        records(context.clock, context.db, ecards),
        regions(context.clock, context.db, context.vault),
        family(context, records, policies),
        insurance(context.clock, context.db, context.vault),
        risk_cases(context.clock, context.db, context.vault),
        risk_events(context.clock, context.db, ecards),
        certificates(context.clock, context.db, context.nonces, context.vault, context.qr),
        stats(context.db),
        backlogs(context.clock, context.db),
        pii_resealer(context.clock, context.db, context.vault) {}

  Context& ctx;
  adapters::SandboxSmsGateway* sandbox_sms;
  RefusalLog refusals;  // before the services that record into it
  OperatorService operators;
  ClientService clients;
  RegistryService registry;
  AccountService accounts;
  AuditService audit;
  CheckpointDelays checkpoint_delays;  // what the sequencer measures, for /metrics
  VerificationService verifications;
  RegionPolicies policies;  // in force; replaced when the policy files change
  EcardService ecards;
  UsageService usage;
  SettlementService settlements;
  ContributionService contributions;
  RecordService records;
  RegionService regions;
  FamilyService family;
  InsuranceRecords insurance;
  RiskCases risk_cases;
  RiskEvents risk_events;
  CertificateService certificates;
  StatsService stats;
  Backlogs backlogs;         // what waits in the store, for /metrics
  PiiResealer pii_resealer;  // after a PII key rotation (R-S9)
};

}  // namespace essc::services
