// Using the e-card (R-U1…R-U3): opening it with the password for a short session,
// dynamic QR codes under that session, and identity checks by institutions that scan
// them. QR codes are single use: consuming one is durable before it is answered.
#pragma once

#include <string>

#include "domain/client.hpp"
#include "domain/ecard.hpp"
#include "services/context.hpp"
#include "services/ecards.hpp"
#include "services/notifier.hpp"
#include "services/region_policies.hpp"

namespace essc::services {

struct EcardSession {
  std::string token;
  std::int64_t expires_at_ms = 0;
};

struct QrIssued {
  std::string token;
  std::int64_t expires_at_ms = 0;
  std::int64_t refresh_after_seconds = 0;
};

struct IdentityCheck {
  std::string name_masked;
  std::string id_number_masked;
  domain::CardStatus card_status = domain::CardStatus::kActive;
  std::int64_t level = 1;
  std::string region_code;
};

// The binding a consumed code belonged to, with its card and person.
// For a family member's code (R-F3) `holder` is the member's view: the member's person
// and card under the binding of the holder who showed it.
struct ScannedCode {
  crypto::QrClaims claims;
  BindingView holder;
  std::optional<std::string> family_member_id;
};

class UsageService {
 public:
  UsageService(Context& context, const Notifier& notifier, EcardService& ecards,
               const RegionPolicies& policies)
      : ctx_(context), notifier_(notifier), ecards_(ecards), policies_(policies) {}

  // R-U1: the password (with the R-W4 lockout) opens a 10-minute session.
  Result<EcardSession> open_session(const domain::Client& client, std::string_view binding_id,
                                    std::string_view password);
  // The binding of a valid session of this client, if it serves `use`; SESSION_INVALID
  // otherwise. R-U1: a suspended e-card opens a session to read, not to use.
  Result<BindingView> authenticate_session(const domain::Client& client,
                                           std::string_view binding_id,
                                           std::string_view session_token,
                                           BindingUse use = BindingUse::kUse);
  Result<QrIssued> issue_qr(const BindingView& holder, std::string_view purpose,
                            crypto::QrFormat format = crypto::QrFormat::kEssc1);
  // R-U3: any institution; the code is consumed.
  Result<IdentityCheck> verify_identity(const domain::Client& institution,
                                        std::string_view qr_token);

 private:
  // R-K3: the next payment code waits for a step-up once the cardholder settled too often.
  Status within_risk_rules(const BindingView& holder);

  Context& ctx_;
  const Notifier& notifier_;
  EcardService& ecards_;
  const RegionPolicies& policies_;
};

// A scanned code whose signature was checked, and whose reference was read, before any
// transaction (check_scanned_code): the signature is most of a code's CPU and needs
// nothing from the store, so the store's single writer never waits on it, and a write
// job that runs again does not check it again. `claims` holds QR_INVALID for a forged
// or malformed code, answered by consume_scanned_code (after the caller's own checks,
// such as an idempotent replay, as when the check ran inside).
struct CheckedCode {
  Result<crypto::QrClaims> claims;
  std::string binding_id;
  std::optional<std::string> family_member_id;
};
CheckedCode check_scanned_code(const Context& ctx, std::string_view qr_token);

// R-U2: answers a checked code's refusal, checks its purpose and expiry, consumes it and
// answers its holder. REQUIRES: inside a write transaction (the consumption commits with
// the caller's change). QR_INVALID / QR_PURPOSE_MISMATCH / QR_EXPIRED / QR_USED, then
// ECARD_SUSPENDED / ECARD_UNLINKED for a binding that is not usable.
Result<ScannedCode> consume_scanned_code(store::Connection& c, Context& ctx,
                                         const CheckedCode& code, std::string_view purpose,
                                         std::string_view used_by, std::int64_t now_ms);
// The holder's lookup consume_scanned_code() makes, sent ahead of it, so that a write
// reads it in its first flight.
void send_scanned_holder_ahead(store::Connection& c, const CheckedCode& code);

// R-U2: signs a code of `holder`'s binding in `format`; with `family_member_id` the code
// stands for that member (R-F3).
Result<QrIssued> issue_code(Context& ctx, const BindingView& holder, std::string_view purpose,
                            std::optional<std::string> family_member_id,
                            crypto::QrFormat format = crypto::QrFormat::kEssc1);

// Binding status to its refusal: nothing for usable.
Status require_usable(const domain::Binding& binding);

}  // namespace essc::services
