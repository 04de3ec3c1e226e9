#include "services/audit.hpp"

namespace essc::services {

void audit_refusal(Context& ctx, std::string_view actor, std::string_view action,
                   std::string_view target, ErrorCode code, std::int64_t now_ms) {
  (void)ctx.db.write<bool>([&](store::Connection& c) -> Result<bool> {
    store::append_audit(c, now_ms, actor, action, target, error_code_name(code));
    return true;
  });
}

AuditPage AuditService::list(const AuditQuery& query) {
  AuditPage page;
  // One more than asked tells whether another page follows.
  page.items = ctx_.db.read([&](store::Connection& c) {
    return store::list_audit(c, query.from_ms, query.to_ms, query.after_seq, query.limit + 1);
  });
  if (static_cast<std::int64_t>(page.items.size()) > query.limit) {
    page.items.pop_back();
    page.next_after_seq = page.items.back().seq;
  }
  return page;
}

store::AuditVerification AuditService::verify() {
  return ctx_.db.read([](store::Connection& c) { return store::verify_audit(c); });
}

}  // namespace essc::services
