#include "store/ecard_repository.hpp"

namespace essc::store {
namespace {

constexpr char kInsertEcard[] =
    "INSERT INTO ecards (card_no, person_id, password_hash, password_failures, "
    "password_locked_until_ms, "
    "created_at_ms, updated_at_ms) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING ecard_id";
constexpr char kEcard[] =
    "SELECT ecard_id, card_no, person_id, password_hash, password_failures, "
    "password_locked_until_ms, "
    "created_at_ms, updated_at_ms FROM ecards WHERE ecard_id = ?";
constexpr char kEcardByCard[] =
    "SELECT ecard_id, card_no, person_id, password_hash, password_failures, "
    "password_locked_until_ms, "
    "created_at_ms, updated_at_ms FROM ecards WHERE card_no = ?";
constexpr char kUpdatePassword[] =
    "UPDATE ecards SET password_hash = ?, password_failures = ?, password_locked_until_ms = ?, "
    "updated_at_ms = ? WHERE ecard_id = ?";

constexpr char kInsertBinding[] =
    "INSERT INTO bindings (binding_id, ecard_id, client_id, level, status, created_at_ms, "
    "updated_at_ms, person_id) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?)";
constexpr char kBinding[] =
    "SELECT binding_id, ecard_id, client_id, level, status, created_at_ms, updated_at_ms FROM "
    "bindings "
    "WHERE binding_id = ?";
constexpr char kLiveBinding[] =
    "SELECT binding_id, ecard_id, client_id, level, status, created_at_ms, updated_at_ms FROM "
    "bindings "
    "WHERE ecard_id = ? AND client_id = ? AND status <> 'unlinked'";
constexpr char kLiveBindings[] =
    "SELECT binding_id, ecard_id, client_id, level, status, created_at_ms, updated_at_ms FROM "
    "bindings "
    "WHERE ecard_id = ? AND status <> 'unlinked' ORDER BY created_at_ms, binding_id";
constexpr char kUpdateBinding[] =
    "UPDATE bindings SET level = ?, status = ?, updated_at_ms = ? WHERE binding_id = ?";

domain::Ecard ecard_from_row(const Statement& s) {
  return {s.int64(0), s.text(1),           s.int64(2), s.text(3),
          s.int64(4), s.optional_int64(5), s.int64(6), s.int64(7)};
}

}  // namespace

domain::Binding binding_from_row(const Statement& s, int first) {
  return {s.text(first),
          s.int64(first + 1),
          s.text(first + 2),
          s.int64(first + 3),
          domain::parse_binding_status(s.text(first + 4)).value(),
          s.int64(first + 5),
          s.int64(first + 6)};
}

void insert_ecard(Connection& c, domain::Ecard& e) {
  e.ecard_id = *c.prepare(kInsertEcard)
                    .bind_all(e.card_no, e.person_id, e.password_hash, e.password_failures,
                              e.password_locked_until_ms, e.created_at_ms, e.updated_at_ms)
                    .first([](const Statement& s) { return s.int64(0); });
}

std::optional<domain::Ecard> find_ecard(Connection& c, std::int64_t ecard_id) {
  return c.prepare(kEcard).bind_all(ecard_id).first(ecard_from_row);
}

std::optional<domain::Ecard> find_ecard_by_card(Connection& c, std::string_view card_no) {
  return c.prepare(kEcardByCard).bind_all(card_no).first(ecard_from_row);
}

void update_ecard_password_state(Connection& c, const domain::Ecard& e) {
  c.prepare(kUpdatePassword)
      .bind_all(e.password_hash, e.password_failures, e.password_locked_until_ms, e.updated_at_ms,
                e.ecard_id)
      .run();
}

void insert_binding(Connection& c, const domain::Binding& b, std::int64_t person_id) {
  c.prepare(kInsertBinding)
      .bind_all(b.binding_id, b.ecard_id, b.client_id, b.level, domain::to_string(b.status),
                b.created_at_ms, b.updated_at_ms, person_id)
      .run();
}

std::optional<domain::Binding> find_binding(Connection& c, std::string_view binding_id) {
  return c.prepare(kBinding).bind_all(binding_id).first([](const Statement& s) {
    return binding_from_row(s);
  });
}

std::optional<domain::Binding> find_live_binding(Connection& c, std::int64_t ecard_id,
                                                 std::string_view client_id) {
  return c.prepare(kLiveBinding).bind_all(ecard_id, client_id).first([](const Statement& s) {
    return binding_from_row(s);
  });
}

std::vector<domain::Binding> live_bindings(Connection& c, std::int64_t ecard_id) {
  std::vector<domain::Binding> out;
  auto& s = c.prepare(kLiveBindings).bind_all(ecard_id);
  while (s.step()) out.push_back(binding_from_row(s));
  return out;
}

void update_binding(Connection& c, const domain::Binding& b) {
  c.prepare(kUpdateBinding)
      .bind_all(b.level, domain::to_string(b.status), b.updated_at_ms, b.binding_id)
      .run();
}

}  // namespace essc::store
