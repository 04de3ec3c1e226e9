#include "store/usage_repository.hpp"

namespace essc::store {
namespace {

constexpr char kInsertSession[] =
    "INSERT INTO ecard_sessions (token_hash, binding_id, client_id, expires_at_ms, person_id) "
    "VALUES (?, ?, ?, ?, ?)";
constexpr char kFindSession[] =
    "SELECT binding_id, client_id, expires_at_ms, person_id FROM ecard_sessions WHERE token_hash = "
    "?";
constexpr char kDeleteExpired[] = "DELETE FROM ecard_sessions WHERE expires_at_ms <= ?";
constexpr char kDeleteOfEcard[] =
    "DELETE FROM ecard_sessions WHERE binding_id IN (SELECT binding_id FROM bindings WHERE "
    "ecard_id = ?)";
constexpr char kUseToken[] =
    "INSERT INTO used_qr_tokens (token_id, person_id, expires_at_ms, used_at_ms, used_by) VALUES "
    "(?, ?, ?, ?, ?) "
    "ON CONFLICT (token_id) DO NOTHING RETURNING token_id";
constexpr char kDeleteExpiredTokens[] = "DELETE FROM used_qr_tokens WHERE expires_at_ms < ?";

}  // namespace

void insert_ecard_session(Connection& c, std::string_view token_hash, const EcardSessionRecord& s) {
  c.prepare(kInsertSession)
      .bind_blob(1, token_hash)
      .bind(2, s.binding_id)
      .bind(3, s.client_id)
      .bind(4, s.expires_at_ms)
      .bind(5, s.person_id)
      .run();
}

std::optional<EcardSessionRecord> find_ecard_session(Connection& c, std::string_view token_hash) {
  return c.prepare(kFindSession).bind_blob(1, token_hash).first([](const Statement& s) {
    return EcardSessionRecord{s.text(0), s.text(1), s.int64(2), s.int64(3)};
  });
}

void delete_expired_ecard_sessions(Connection& c, std::int64_t now_ms) {
  c.prepare(kDeleteExpired).bind_all(now_ms).run();
}

void delete_ecard_sessions(Connection& c, std::int64_t ecard_id) {
  c.prepare(kDeleteOfEcard).bind_all(ecard_id).run();
}

bool use_qr_token(Connection& c, const UsedQrToken& t) {
  return c.prepare(kUseToken)
      .bind_all(t.token_id, t.person_id, t.expires_at_ms, t.used_at_ms, t.used_by)
      .first([](const Statement&) { return true; })
      .has_value();
}

void delete_used_qr_tokens_expired(Connection& c, std::int64_t before_ms) {
  c.prepare(kDeleteExpiredTokens).bind_all(before_ms).run();
}

}  // namespace essc::store
