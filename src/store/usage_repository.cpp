#include "store/usage_repository.hpp"

namespace essc::store {
namespace {

constexpr char kInsertSession[] =
    "INSERT INTO ecard_sessions (token_hash, binding_id, client_id, expires_at_ms) VALUES (?, ?, ?, ?)";
constexpr char kFindSession[] =
    "SELECT binding_id, client_id, expires_at_ms FROM ecard_sessions WHERE token_hash = ?";
constexpr char kDeleteExpired[] = "DELETE FROM ecard_sessions WHERE expires_at_ms <= ?";
constexpr char kDeleteOfEcard[] =
    "DELETE FROM ecard_sessions WHERE binding_id IN (SELECT binding_id FROM bindings WHERE ecard_id = ?)";
constexpr char kInsertCode[] =
    "INSERT INTO qr_codes (token_id, binding_id, purpose, expires_at_ms, family_member_id) VALUES (?, ?, ?, ?, ?)";
constexpr char kFindCode[] =
    "SELECT token_id, binding_id, purpose, expires_at_ms, used_at_ms, family_member_id FROM qr_codes WHERE token_id = ?";
constexpr char kConsume[] =
    "UPDATE qr_codes SET used_at_ms = ?, used_by = ? WHERE token_id = ? AND used_at_ms IS NULL RETURNING token_id";

}  // namespace

void insert_ecard_session(Connection& c, std::string_view token_hash, const EcardSessionRecord& s) {
  c.prepare(kInsertSession).bind_blob(1, token_hash).bind(2, s.binding_id).bind(3, s.client_id).bind(4, s.expires_at_ms).run();
}

std::optional<EcardSessionRecord> find_ecard_session(Connection& c, std::string_view token_hash) {
  return c.prepare(kFindSession).bind_blob(1, token_hash).first([](const Statement& s) {
    return EcardSessionRecord{s.text(0), s.text(1), s.int64(2)};
  });
}

void delete_expired_ecard_sessions(Connection& c, std::int64_t now_ms) {
  c.prepare(kDeleteExpired).bind_all(now_ms).run();
}

void delete_ecard_sessions(Connection& c, std::int64_t ecard_id) { c.prepare(kDeleteOfEcard).bind_all(ecard_id).run(); }

void insert_qr_code(Connection& c, const QrCodeRecord& code) {
  c.prepare(kInsertCode)
      .bind_all(code.token_id, code.binding_id, code.purpose, code.expires_at_ms, code.family_member_id)
      .run();
}

std::optional<QrCodeRecord> find_qr_code(Connection& c, std::string_view token_id) {
  return c.prepare(kFindCode).bind_all(token_id).first([](const Statement& s) {
    return QrCodeRecord{s.text(0), s.text(1), s.text(2), s.int64(3), s.optional_int64(4), s.optional_text(5)};
  });
}

bool consume_qr_code(Connection& c, std::string_view token_id, std::int64_t now_ms, std::string_view used_by) {
  return c.prepare(kConsume).bind_all(now_ms, used_by, token_id).first([](const Statement&) { return true; }).has_value();
}

}  // namespace essc::store
