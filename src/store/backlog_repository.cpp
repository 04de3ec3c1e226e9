#include "store/backlog_repository.hpp"

namespace essc::store {
namespace {

constexpr char kPendingAudit[] = "SELECT COUNT(*), MIN(at_ms) FROM audit_entries WHERE seq IS NULL";
constexpr char kUndelivered[] =
    "SELECT COALESCE(client_id, ''), COUNT(*), MIN(created_at_ms) FROM outbox "
    "WHERE delivered_at_ms IS NULL AND gave_up = 0 GROUP BY COALESCE(client_id, '') "
    "ORDER BY 1";
constexpr char kOwedBefore[] =
    "SELECT COUNT(*), MIN(created_at_ms) FROM due_bank_transfers WHERE created_at_ms < ?";

Waiting waiting_of(const Statement& s, int first_column = 0) {
  return {s.int64(first_column), s.optional_int64(first_column + 1)};
}

}  // namespace

Waiting pending_audit_entries(Connection& c) {
  return c.prepare(kPendingAudit).first([](const Statement& s) { return waiting_of(s); }).value();
}

std::vector<OutboxWaiting> undelivered_outbox(Connection& c) {
  std::vector<OutboxWaiting> out;
  auto& s = c.prepare(kUndelivered);
  while (s.step()) out.push_back({s.text(0), waiting_of(s, 1)});
  return out;
}

Waiting owed_bank_transfers_before(Connection& c, std::int64_t before_ms) {
  return c.prepare(kOwedBefore)
      .bind_all(before_ms)
      .first([](const Statement& s) { return waiting_of(s); })
      .value();
}

}  // namespace essc::store
