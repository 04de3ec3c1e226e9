// E-card sessions and issued QR codes (R-U1, R-U2). Session tokens are stored only as
// their SHA-256; a QR code is consumed by setting used_at_ms exactly once.
#pragma once

#include <optional>
#include <string>

#include "store/sql.hpp"

namespace essc::store {

struct EcardSessionRecord {
  std::string binding_id;
  std::string client_id;
  std::int64_t expires_at_ms = 0;
};

struct QrCodeRecord {
  std::string token_id;
  std::string binding_id;
  std::string purpose;
  std::int64_t expires_at_ms = 0;
  std::optional<std::int64_t> used_at_ms;
  // R-F3: a code a holder showed for a family member (family_members.member_id).
  std::optional<std::string> family_member_id;
};

void insert_ecard_session(Connection& c, std::string_view token_hash, const EcardSessionRecord& session);
std::optional<EcardSessionRecord> find_ecard_session(Connection& c, std::string_view token_hash);
void delete_expired_ecard_sessions(Connection& c, std::int64_t now_ms);
// Ends the sessions of every binding of an e-card (its password changed: R-W3).
void delete_ecard_sessions(Connection& c, std::int64_t ecard_id);

void insert_qr_code(Connection& c, const QrCodeRecord& code);
std::optional<QrCodeRecord> find_qr_code(Connection& c, std::string_view token_id);
// True when this call consumed it; false when it was already used.
bool consume_qr_code(Connection& c, std::string_view token_id, std::int64_t now_ms, std::string_view used_by);

}  // namespace essc::store
