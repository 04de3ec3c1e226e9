// Money that reaches a cardholder: monthly injections into the personal medical account
// (个人账户) and benefits paid to the card's bank account (待遇领取, R-U6).
#pragma once

#include <optional>
#include <string>

#include "adapters/bank.hpp"
#include "common/clock.hpp"
#include "crypto/pii_vault.hpp"
#include "domain/account_movement.hpp"
#include "domain/card.hpp"
#include "services/context.hpp"
#include "store/database.hpp"

namespace essc::services {

struct MedicalCredit {
  std::string id_number;
  std::int64_t amount_fen = 0;
  std::string memo;
  // With an Idempotency-Key, a repeated call answers the first movement instead of
  // crediting twice; the same key with another amount is IDEMPOTENCY_MISMATCH.
  std::optional<std::string> idempotency_key;
};

struct NewBenefit {
  std::string id_number;
  std::string kind;
  std::string period;
  std::int64_t amount_fen = 0;
};

struct BenefitView {
  domain::Benefit benefit;
  bool created = true;  // false when an identical benefit was already recorded
};

class AccountService {
 public:
  AccountService(const Clock& clock, store::Database& db, const crypto::PiiVault& vault,
                 adapters::Bank& bank)
      : clock_(clock), db_(db), vault_(vault), bank_(bank) {}

  Result<domain::AccountMovement> credit_medical(const Actor& actor, const MedicalCredit& request);
  // Credits the card's bank account through the bank adapter, then records it. The
  // bank reference is derived from (person, kind, period), so a retry after any failure
  // never pays twice, and a second benefit for the same period is a CONFLICT.
  Result<BenefitView> record_benefit(const Actor& actor, const NewBenefit& request);

 private:
  const Clock& clock_;
  store::Database& db_;
  const crypto::PiiVault& vault_;
  adapters::Bank& bank_;
};

}  // namespace essc::services
