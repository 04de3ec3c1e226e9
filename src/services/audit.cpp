#include "services/audit.hpp"

namespace essc::services {

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
