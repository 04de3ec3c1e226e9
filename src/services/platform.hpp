// The platform's use cases, built once over one Context and shared by every caller
// (the HTTP API and the command line).
#pragma once

#include "services/accounts.hpp"
#include "services/audit.hpp"
#include "services/clients.hpp"
#include "services/context.hpp"
#include "services/operators.hpp"
#include "services/registry.hpp"

namespace essc::services {

struct Platform {
  explicit Platform(Context& context, bool sandbox_mode = false)
      : ctx(context),
        sandbox(sandbox_mode),
        operators(context),
        clients(context),
        registry(context),
        accounts(context),
        audit(context) {}

  Context& ctx;
  bool sandbox;
  OperatorService operators;
  ClientService clients;
  RegistryService registry;
  AccountService accounts;
  AuditService audit;
};

}  // namespace essc::services
