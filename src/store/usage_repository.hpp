// E-card sessions and used QR codes (R-U1, R-U2). Session tokens are stored only as
// their SHA-256. An issued QR code is stored nowhere (it carries its binding, signed);
// using one inserts its token id, so a second use meets the first's row.
#pragma once

#include <optional>
#include <string>

#include "store/sql.hpp"

namespace essc::store {

struct EcardSessionRecord {
  std::string binding_id;
  std::string client_id;
  std::int64_t expires_at_ms = 0;
  std::int64_t person_id = 0;  // the shard key (docs/scale-out.md)
};

struct UsedQrToken {
  std::string token_id;
  std::int64_t person_id = 0;  // whose account or identity the use served (the shard key)
  std::int64_t expires_at_ms = 0;
  std::int64_t used_at_ms = 0;
  std::string used_by;
};

void insert_ecard_session(Connection& c, std::string_view token_hash,
                          const EcardSessionRecord& session);
std::optional<EcardSessionRecord> find_ecard_session(Connection& c, std::string_view token_hash);
void delete_expired_ecard_sessions(Connection& c, std::int64_t now_ms);
// Ends the sessions of every binding of an e-card (its password changed: R-W3).
void delete_ecard_sessions(Connection& c, std::int64_t ecard_id);

// R-U2: true when this call used the code; false when it was used before (its row
// exists, committed or held by a transaction this one then waits for).
bool use_qr_token(Connection& c, const UsedQrToken& token);
// Forgets codes that expired before `before_ms`: an expired code is refused before its
// use is looked for.
void delete_used_qr_tokens_expired(Connection& c, std::int64_t before_ms);

}  // namespace essc::store
