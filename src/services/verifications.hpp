// Verification sessions (R-E3…R-E6, R-S1, R-S3): a channel opens one for a purpose,
// the applicant proves "实人、实名、实卡" by face (level 1) or by the bank four-factor
// check plus an SMS code to the bank-reserved phone (level 2), and one later call
// consumes it. A session belongs to the client that opened it: another client gets
// NOT_FOUND. Every attempt is audited.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "adapters/bank.hpp"
#include "adapters/face.hpp"
#include "adapters/sms.hpp"
#include "common/clock.hpp"
#include "crypto/pii_vault.hpp"
#include "domain/card.hpp"
#include "domain/client.hpp"
#include "domain/person.hpp"
#include "domain/verification.hpp"
#include "store/database.hpp"

namespace essc::services {

struct NewVerification {
  std::string purpose;  // as in the request: domain::parse_verification_purpose
  std::optional<std::string> name;
  std::optional<std::string> id_number;
  std::optional<std::string> binding_id;
  std::optional<std::string> risk_id;  // purpose "step_up": the decision it answers
};

struct VerificationStarted {
  std::string verification_id;
  std::vector<std::string> methods;
  std::int64_t expires_at_ms = 0;
  std::string card_no_masked;
};

struct SmsSent {
  std::string phone_masked;
  std::int64_t resend_after_seconds = 0;
};

class VerificationService {
 public:
  VerificationService(const Clock& clock, store::Database& db, const crypto::PiiVault& vault,
                      adapters::Bank& bank, adapters::FaceVerifier& face, adapters::SmsGateway& sms)
      : clock_(clock), db_(db), vault_(vault), bank_(bank), face_(face), sms_(sms) {}

  // Card state and identity failures answer here, with the R-E5 codes.
  Result<VerificationStarted> start(const domain::Client& client, const NewVerification& request);
  // Level 1 on a match; FACE_* with fallback "sms" otherwise (R-E6).
  Result<std::int64_t> face(const domain::Client& client, std::string_view verification_id,
                            std::string_view image_base64);
  // The four-factor check, then a code to the bank-reserved phone (R-E4, R-S3).
  Result<SmsSent> send_sms(const domain::Client& client, std::string_view verification_id,
                           std::string_view bank_account_no, std::string_view phone);
  // Level 2 on the right code.
  Result<std::int64_t> verify_sms(const domain::Client& client, std::string_view verification_id,
                                  std::string_view code);
  // Whether the verified person already has an e-card, and so a password that a new
  // channel asks for instead of a new one (R-E7). Told only after the verification has
  // passed: a name and an ID number alone do not reveal it. VERIFICATION_INCOMPLETE before.
  Result<bool> has_ecard(const domain::Client& client, std::string_view verification_id);

 private:
  // The person and card a four-factor check is made for.
  struct FourFactorSubject {
    domain::Person person;
    domain::Card card;
  };
  // send_sms's two writes around the bank call.
  Result<FourFactorSubject> reserve_four_factor_check(const domain::Client& client,
                                                      std::string_view verification_id,
                                                      std::int64_t now);
  Status record_four_factor_outcome(const domain::Client& client, std::string_view verification_id,
                                    bool matched, const std::string& reserved_phone,
                                    const std::string& code, std::int64_t now);
  const Clock& clock_;
  store::Database& db_;
  const crypto::PiiVault& vault_;
  adapters::Bank& bank_;
  adapters::FaceVerifier& face_;
  adapters::SmsGateway& sms_;
};

// R-E5: the card a person would use, or the precise reason there is none
// (CARD_NOT_FOUND, or the refusal its status calls for).
Result<domain::Card> usable_card(store::Connection& c, const crypto::PiiVault& vault,
                                 std::int64_t person_id);

// A session of this client that is still open: NOT_FOUND for another client's,
// VERIFICATION_EXPIRED once expired or used.
Result<domain::Verification> open_verification(store::Connection& c, std::string_view client_id,
                                               std::string_view verification_id,
                                               std::int64_t now_ms);

// For the call that completes a verification, inside its write transaction: the
// verified session of this client, purpose and (when given) binding, marked consumed.
// VERIFICATION_EXPIRED once expired or used, VERIFICATION_INCOMPLETE when not verified.
Result<domain::Verification> consume_verification(store::Connection& c, std::string_view client_id,
                                                  std::string_view verification_id,
                                                  domain::VerificationPurpose purpose,
                                                  const std::optional<std::string>& binding_id,
                                                  std::int64_t now_ms);

}  // namespace essc::services
