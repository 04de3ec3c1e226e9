// Using the e-card (R-U1…R-U3): opening it with the password for a short session,
// dynamic QR codes under that session, and identity checks by institutions that scan
// them. QR codes are single use: consuming one is durable before it is answered.
#pragma once

#include <string>

#include "common/clock.hpp"
#include "domain/client.hpp"
#include "services/ecards.hpp"
#include "services/notifier.hpp"
#include "services/qr_codes.hpp"
#include "services/region_policies.hpp"
#include "store/database.hpp"

namespace essc::services {

struct EcardSession {
  std::string token;
  std::int64_t expires_at_ms = 0;
};

struct IdentityCheck {
  std::string name_masked;
  std::string id_number_masked;
  domain::CardStatus card_status = domain::CardStatus::kActive;
  std::int64_t level = 1;
  std::string region_code;
};

class UsageService {
 public:
  UsageService(const Clock& clock, store::Database& db, const QrCodes& codes,
               const Notifier& notifier, EcardService& ecards, const RegionPolicies& policies)
      : clock_(clock),
        db_(db),
        codes_(codes),
        notifier_(notifier),
        ecards_(ecards),
        policies_(policies) {}

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

  const Clock& clock_;
  store::Database& db_;
  const QrCodes& codes_;
  const Notifier& notifier_;
  EcardService& ecards_;
  const RegionPolicies& policies_;
};

}  // namespace essc::services
