// The dynamic QR codes of R-U2: signed with the binding (and, for a family member's code,
// the membership) enciphered inside, so that issuing one writes nothing; checked before
// any transaction; consumed once, durably, in the transaction of the change they pay for
// or prove. docs/qr-token.md gives the formats byte by byte.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "common/clock.hpp"
#include "common/result.hpp"
#include "crypto/pii_vault.hpp"
#include "crypto/qr_token.hpp"
#include "domain/ecard.hpp"
#include "services/ecards.hpp"
#include "store/client_repository.hpp"
#include "store/sql.hpp"

namespace essc::services {

struct QrIssued {
  std::string token;
  std::int64_t expires_at_ms = 0;
  std::int64_t refresh_after_seconds = 0;
};

// A scanned code whose signature was checked, and whose reference was read, before any
// transaction (QrCodes::check): the signature is most of a code's CPU and needs nothing
// from the store, so the store's single writer never waits on it, and a write job that
// runs again does not check it again. `claims` holds QR_INVALID for a forged or
// malformed code, answered by QrCodes::consume (after the caller's own checks, such as
// an idempotent replay, as when the check ran inside).
struct CheckedCode {
  Result<crypto::QrClaims> claims;
  std::string binding_id;
  std::optional<std::string> family_member_id;
};

// The binding a consumed code belonged to, with its card and person.
// For a family member's code (R-F3) `holder` is the member's view: the member's person
// and card under the binding of the holder who showed it.
struct ScannedCode {
  crypto::QrClaims claims;
  BindingView holder;
  std::optional<std::string> family_member_id;
};

class QrCodes {
 public:
  QrCodes(const Clock& clock, const crypto::PiiVault& vault, const crypto::QrSigner& qr,
          const store::ClientCache& clients)
      : clock_(clock), vault_(vault), qr_(qr), clients_(clients) {}

  // R-U2: signs a code of `holder`'s binding in `format`; with `family_member_id` the
  // code stands for that member (R-F3).
  Result<QrIssued> issue(const BindingView& holder, std::string_view purpose,
                         std::optional<std::string> family_member_id,
                         crypto::QrFormat format = crypto::QrFormat::kEssc1) const;
  CheckedCode check(std::string_view qr_token) const;
  // R-U2: answers a checked code's refusal, checks its purpose and expiry, consumes it
  // and answers its holder. REQUIRES: inside a write transaction (the consumption
  // commits with the caller's change). QR_INVALID / QR_PURPOSE_MISMATCH / QR_EXPIRED /
  // QR_USED, then ECARD_SUSPENDED / ECARD_UNLINKED for a binding that is not usable.
  Result<ScannedCode> consume(store::Connection& c, const CheckedCode& code,
                              std::string_view purpose, std::string_view used_by,
                              std::int64_t now_ms) const;

 private:
  const Clock& clock_;
  const crypto::PiiVault& vault_;
  const crypto::QrSigner& qr_;
  const store::ClientCache& clients_;
};

// The holder's lookup QrCodes::consume() makes, sent ahead of it, so that a write reads
// it in its first flight.
void send_scanned_holder_ahead(store::Connection& c, const CheckedCode& code);

// Binding status to its refusal: nothing for usable.
Status require_usable(const domain::Binding& binding);

}  // namespace essc::services
