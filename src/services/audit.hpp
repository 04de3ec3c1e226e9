// Reading and verifying the audit chain (R-S6) for administrators and `essc audit verify`.
#pragma once

#include <optional>
#include <vector>

#include "services/context.hpp"
#include "store/audit_log.hpp"

namespace essc::services {

struct AuditQuery {
  std::int64_t from_ms = 0;
  std::int64_t to_ms = INT64_MAX;
  std::int64_t after_seq = 0;  // the cursor
  std::int64_t limit = 50;
};

struct AuditPage {
  std::vector<store::AuditEntry> items;
  std::optional<std::int64_t> next_after_seq;
};

// R-S4, R-S6: a refusal's audit entry, in a transaction of its own (the refused job's
// rolled back); `actor` as in the log ("client:…").
void audit_refusal(Context& ctx, std::string_view actor, std::string_view action,
                   std::string_view target, ErrorCode code, std::int64_t now_ms);

class AuditService {
 public:
  explicit AuditService(Context& context) : ctx_(context) {}
  AuditPage list(const AuditQuery& query);
  store::AuditVerification verify();

 private:
  Context& ctx_;
};

}  // namespace essc::services
