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

class AuditService {
 public:
  explicit AuditService(Context& context) : ctx_(context) {}
  AuditPage list(const AuditQuery& query);
  store::AuditVerification verify();

 private:
  Context& ctx_;
};

}  // namespace essc::services
