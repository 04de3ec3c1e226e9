#include "store/notification_repository.hpp"

#include "store/sealed_column.hpp"

namespace essc::store {
namespace {

constexpr char kInsertNotification[] =
    "INSERT INTO notifications (person_id, type, binding_id, title_zh, title_en, body_zh, "
    "body_en, detail, at_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)";
constexpr char kListNotifications[] =
    "SELECT n.notification_id, n.person_id, n.type, n.binding_id, n.title_zh, n.title_en, "
    "n.body_zh, n.body_en, n.detail, n.at_ms, "
    "b.client_id, cl.name FROM notifications n LEFT JOIN bindings b ON b.binding_id = n.binding_id "
    "LEFT JOIN clients cl ON cl.client_id = b.client_id "
    "WHERE n.person_id = ? AND (CAST(? AS BIGINT) = 0 OR n.notification_id < ?) ORDER BY "
    "n.notification_id DESC LIMIT ?";

constexpr char kInsertOutbox[] =
    "INSERT INTO outbox (event_id, kind, client_id, destination_sealed, payload, attempts, "
    "next_attempt_at_ms, "
    "delivered_at_ms, gave_up, last_error, created_at_ms) VALUES (?, ?, ?, ?, ?, 0, ?, NULL, 0, "
    "NULL, ?)";
#define ESSC_OUTBOX_COLUMNS                                                                       \
  "SELECT event_id, kind, client_id, destination_sealed, payload, attempts, next_attempt_at_ms, " \
  "delivered_at_ms, gave_up, last_error, created_at_ms FROM outbox "
constexpr char kDue[] = ESSC_OUTBOX_COLUMNS
    "WHERE delivered_at_ms IS NULL AND gave_up = 0 AND next_attempt_at_ms <= ? ORDER BY "
    "next_attempt_at_ms, "
    "created_at_ms LIMIT ?";
// Claiming pushes the next attempt past the lease, so no other server takes the event
// while this one delivers it; a server that dies holding it lets the lease run out. A
// channel is one lane: while any of its events is leased, none of its others is taken,
// so its webhooks go out in order and one at a time across all servers. Each SMS is a
// lane of its own.
#define ESSC_OUTBOX_LANE(t) "COALESCE(" t ".client_id, " t ".event_id)"
constexpr char kClaim[] =
    "UPDATE outbox SET next_attempt_at_ms = ?, lease_until_ms = ? WHERE event_id IN (SELECT o.event_id FROM outbox o "
    "WHERE o.delivered_at_ms IS NULL AND o.gave_up = 0 AND o.next_attempt_at_ms <= ? AND NOT EXISTS (SELECT 1 FROM "
    "outbox b WHERE b.lease_until_ms > ? AND " ESSC_OUTBOX_LANE("b") " = " ESSC_OUTBOX_LANE("o") ") "
    "ORDER BY o.next_attempt_at_ms, o.created_at_ms LIMIT ?) RETURNING event_id, kind, client_id, destination_sealed, "
    "payload, attempts, next_attempt_at_ms, delivered_at_ms, gave_up, last_error, created_at_ms";
#undef ESSC_OUTBOX_LANE
#undef ESSC_OUTBOX_COLUMNS
constexpr char kDelivered[] =
    "UPDATE outbox SET attempts = ?, delivered_at_ms = ?, last_error = NULL, lease_until_ms = NULL "
    "WHERE event_id = ?";
constexpr char kFailed[] =
    "UPDATE outbox SET attempts = ?, next_attempt_at_ms = ?, gave_up = ?, last_error = ?, "
    "lease_until_ms = NULL "
    "WHERE event_id = ?";
constexpr char kRelease[] =
    "UPDATE outbox SET next_attempt_at_ms = ?, lease_until_ms = NULL WHERE event_id = ?";
constexpr char kGivenUp[] =
    "SELECT event_id, kind, client_id, attempts, last_error, created_at_ms FROM outbox "
    "WHERE gave_up = 1 ORDER BY created_at_ms DESC LIMIT ?";

OutboxRecord outbox_from_row(const crypto::PiiVault& vault, const Statement& s) {
  OutboxRecord r;
  r.event_id = s.text(0);
  r.kind = s.text(1);
  r.client_id = s.optional_text(2);
  if (auto sealed = s.optional_blob(3))
    r.destination = vault.open("outbox_destination", *sealed).value();
  r.payload = s.text(4);
  r.attempts = s.int64(5);
  r.next_attempt_at_ms = s.int64(6);
  r.delivered_at_ms = s.optional_int64(7);
  r.gave_up = s.int64(8) != 0;
  r.last_error = s.optional_text(9);
  r.created_at_ms = s.int64(10);
  return r;
}

}  // namespace

void insert_notification(Connection& c, const domain::Notification& n) {
  c.prepare(kInsertNotification)
      .bind_all(n.person_id, n.type, n.binding_id, n.title_zh, n.title_en, n.body_zh, n.body_en,
                n.detail_json, n.at_ms)
      .run();
}

std::vector<domain::Notification> list_notifications(Connection& c, std::int64_t person_id,
                                                     std::int64_t before_id, std::int64_t limit) {
  std::vector<domain::Notification> out;
  auto& s = c.prepare(kListNotifications).bind_all(person_id, before_id, before_id, limit);
  while (s.step()) {
    out.push_back({s.int64(0), s.int64(1), s.text(2), s.optional_text(3), s.text(4), s.text(5),
                   s.text(6), s.text(7), s.text(8), s.int64(9), s.optional_text(10),
                   s.optional_text(11)});
  }
  return out;
}

void insert_outbox_event(Connection& c, const crypto::PiiVault& vault, const OutboxRecord& r) {
  auto& s = c.prepare(kInsertOutbox);
  s.bind_all(r.event_id, r.kind, r.client_id);
  bind_sealed(s, 4, vault, "outbox_destination", r.destination);
  s.bind(5, r.payload).bind(6, r.next_attempt_at_ms).bind(7, r.created_at_ms).run();
}

std::vector<OutboxRecord> due_outbox_events(Connection& c, const crypto::PiiVault& vault,
                                            std::int64_t now_ms, std::int64_t limit) {
  std::vector<OutboxRecord> out;
  auto& s = c.prepare(kDue).bind_all(now_ms, limit);
  while (s.step()) out.push_back(outbox_from_row(vault, s));
  return out;
}

std::vector<OutboxRecord> claim_due_outbox_events(Connection& c, const crypto::PiiVault& vault,
                                                  std::int64_t now_ms, std::int64_t lease_ms,
                                                  std::int64_t limit) {
  std::vector<OutboxRecord> out;
  auto& s = c.prepare(kClaim).bind_all(now_ms + lease_ms, now_ms + lease_ms, now_ms, now_ms, limit);
  while (s.step()) out.push_back(outbox_from_row(vault, s));
  s.reset();
  return out;
}

void mark_outbox_event_delivered(Connection& c, std::string_view event_id, std::int64_t attempts,
                                 std::int64_t at_ms) {
  c.prepare(kDelivered).bind_all(attempts, at_ms, event_id).run();
}

void mark_outbox_event_failed(Connection& c, std::string_view event_id, std::int64_t attempts,
                              std::int64_t next_attempt_at_ms, bool gave_up,
                              std::string_view error) {
  c.prepare(kFailed).bind_all(attempts, next_attempt_at_ms, gave_up, error, event_id).run();
}

void release_outbox_event(Connection& c, std::string_view event_id, std::int64_t now_ms) {
  c.prepare(kRelease).bind_all(now_ms, event_id).run();
}

std::vector<domain::GivenUpDelivery> given_up_outbox_events(Connection& c, std::int64_t limit) {
  std::vector<domain::GivenUpDelivery> out;
  auto& s = c.prepare(kGivenUp).bind_all(limit);
  while (s.step()) {
    out.push_back({s.text(0), s.text(1), s.optional_text(2), s.int64(3),
                   s.optional_text(4).value_or(""), s.int64(5)});
  }
  return out;
}

}  // namespace essc::store
