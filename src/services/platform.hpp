// The platform's use cases, built once over one Context and shared by every caller
// (the HTTP API and the command line).
#pragma once

#include "adapters/sandbox_sms.hpp"
#include "services/accounts.hpp"
#include "services/audit.hpp"
#include "services/audit_sequencer.hpp"
#include "services/backlogs.hpp"
#include "services/bank_transfers.hpp"
#include "services/certificates.hpp"
#include "services/clients.hpp"
#include "services/context.hpp"
#include "services/contributions.hpp"
#include "services/ecards.hpp"
#include "services/family.hpp"
#include "services/insurance.hpp"
#include "services/notifier.hpp"
#include "services/operators.hpp"
#include "services/pii_resealer.hpp"
#include "services/qr_codes.hpp"
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
        notifier(context.vault, context.clients),
        registry(context.clock, context.db, context.vault, context.hasher, context.clients,
                 notifier),
        accounts(context.clock, context.db, context.vault, context.bank),
        audit(context.db, std::move(audit_key)),
        verifications(context.clock, context.db, context.vault, context.bank, context.face,
                      context.sms),
        policies(std::move(region_policies)),
        ecards(context.clock, context.db, context.vault, context.hasher, context.clients, notifier,
               registry, policies),
        qr_codes(context.clock, context.vault, context.qr, context.clients),
        usage(context.clock, context.db, qr_codes, notifier, ecards, policies),
        bank_transfers(context.clock, context.db, context.vault, context.bank),
        settlements(context.clock, context.db, context.vault, qr_codes, notifier, bank_transfers,
                    policies),
        contributions(context.clock, context.db, notifier, bank_transfers, ecards, settlements),
        records(context.clock, context.db, ecards),
        regions(context.clock, context.db, context.vault),
        family(context.clock, context.db, context.vault, context.clients, qr_codes, notifier,
               records, policies),
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
  Notifier notifier;  // before the services that announce changes
  RegistryService registry;
  AccountService accounts;
  AuditService audit;
  CheckpointDelays checkpoint_delays;  // what the sequencer measures, for /metrics
  VerificationService verifications;
  RegionPolicies policies;  // in force; replaced when the policy files change
  EcardService ecards;
  QrCodes qr_codes;
  UsageService usage;
  BankTransfers bank_transfers;  // before the services that move money
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
