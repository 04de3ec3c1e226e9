// Medical-insurance settlement at designated pharmacies and hospitals (R-U4, R-U5,
// R-S4): the scanned payment code and the itemised bill in, the POLICY.md split out,
// recorded with the account movement and the year's running figures in one
// transaction. The institution's order id makes the call idempotent.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/clock.hpp"
#include "crypto/pii_vault.hpp"
#include "domain/client.hpp"
#include "domain/settlement.hpp"
#include "services/bank_transfers.hpp"
#include "services/notifier.hpp"
#include "services/qr_codes.hpp"
#include "services/region_policies.hpp"
#include "services/risk_control.hpp"
#include "store/database.hpp"

namespace essc::services {

struct SettlementRequest {
  std::string qr_token;
  std::string order_id;
  std::string visit;
  std::vector<domain::BillItem> items;
  bool self_pay_from_bank = false;
};

// Whom a receipt names, masked (R-S5): the person paid for, who is a family member when
// the member's code was scanned (R-F3).
struct ReceiptHolder {
  std::string name_masked;
  std::string card_no_masked;
};

struct SettlementOutcome {
  domain::Settlement settlement;
  bool replayed = false;  // the same order again: the first result, nothing moved
  // Read with the settlement it recorded; absent on a replay (receipt_holder() reads it).
  std::optional<ReceiptHolder> receipt;
};

struct DayTotals {
  std::vector<domain::Settlement> settlements;
  std::int64_t count = 0;
  std::int64_t total_fen = 0;
  std::int64_t fund_fen = 0;
  std::int64_t account_fen = 0;
  std::int64_t self_pay_fen = 0;
  std::int64_t refunded_count = 0;
};

class SettlementService {
 public:
  // `policies` by insured region code; a cardholder of a region without one is refused
  // (REGION_NOT_COVERED, R-X1): no region is ever settled under another's policy.
  SettlementService(const Clock& clock, store::Database& db, const crypto::PiiVault& vault,
                    const QrCodes& codes, const Notifier& notifier, BankTransfers& transfers,
                    RegionPolicies& policies)
      : clock_(clock),
        db_(db),
        vault_(vault),
        codes_(codes),
        notifier_(notifier),
        transfers_(transfers),
        policies_(policies) {}

  Result<SettlementOutcome> settle(const domain::Client& institution,
                                   const SettlementRequest& request);
  Result<domain::Settlement> get(const domain::Client& institution, std::string_view settlement_id);
  // Puts back exactly what the settlement took; once (ALREADY_REFUNDED after).
  Result<domain::Settlement> refund(const domain::Client& institution,
                                    std::string_view settlement_id, std::string_view reason);
  Result<DayTotals> day(const domain::Client& institution, std::string_view date);
  std::optional<ReceiptHolder> receipt_holder(const domain::Settlement& settlement) const;

  // The policies in force, replaced when the folder's policy files change.
  RegionPolicies& policies() { return policies_; }
  const RegionPolicies& policies() const { return policies_; }

 private:
  // One settle() call, validated.
  struct Attempt {
    const domain::Client& institution;
    const SettlementRequest& request;
    domain::Visit visit;
    std::string hash;
    std::string settlement_id;
    std::int64_t now_ms;
    std::string day;
    std::int64_t year;
    CheckedCode code;  // the payment code, its signature checked before the transaction
    // The risk rules asked inside the write; a step-up recorded once it rolled back.
    mutable RiskGate risk;
  };
  struct BankDebit {
    std::string account;
    std::int64_t amount_fen = 0;
    std::string reference;
  };

  // QR_* and ECARD_* refusals, in QrCodes::consume()'s order.
  std::optional<domain::Settlement> find_twin(store::Connection& c, const Attempt& a) const;
  Result<ScannedCode> consume_payment_code(store::Connection& c, const Attempt& a) const;
  // The order's settlement when `refusal` was its code used by a twin since committed.
  std::optional<domain::Settlement> committed_twin(store::Connection& c, const Attempt& a,
                                                   const Error& refusal) const;
  // R-X1, R-X2: the insured region's policy, or REGION_NOT_COVERED; an outpatient visit in
  // another province without a filing covering the day is CROSS_REGION_FILING_REQUIRED.
  Result<std::shared_ptr<const domain::RegionPolicy>> regional_policy(
      store::Connection& c, const Attempt& a, const BindingView& holder) const;
  // R-S4: RISK_VELOCITY_LIMIT once the cardholder's settlements of the day reach the policy's.
  Status within_daily_limit(store::Connection& c, const Attempt& a, const BindingView& holder,
                            const domain::RegionPolicy& policy) const;
  // R-K2, R-K3: RISK_STEP_UP_REQUIRED (and a.risk's decision) when the region's rules ask
  // for a fresh check first; `bank_amount_fen` is what would leave the bank account.
  Status within_risk_rules(store::Connection& c, const Attempt& a, const BindingView& holder,
                           const domain::RegionPolicy& policy, std::int64_t bank_amount_fen) const;
  static RiskQuestion risk_question(const Attempt& a, const BindingView& holder,
                                    std::int64_t bank_amount_fen);
  // Under the person's row lock, before the checks above: their reads that depend only on
  // the person, sent ahead to share one round trip (store::Statement::send_ahead()).
  static void send_checks_ahead(store::Connection& c, const Attempt& a, const BindingView& holder);
  Result<SettlementOutcome> settle_paying_from_bank(const Attempt& a);
  Result<SettlementOutcome> resolve_unknown(const Attempt& a, const BankDebit& debit);
  // The split against the cardholder's balance and quantity caps (R-K4) as read in this
  // transaction.
  struct Priced {
    domain::QuantityCheck quantities;
    domain::Split split;
  };
  Priced price(store::Connection& c, const Attempt& a, const BindingView& holder,
               const domain::RegionPolicy& policy, std::int64_t balance_fen) const;
  Result<SettlementOutcome> record(store::Connection& c, const Attempt& a,
                                   const BindingView& holder,
                                   const std::optional<BankDebit>& debit);

  std::optional<std::string> debited_account(store::Connection& c,
                                             const domain::Settlement& s) const;

  const Clock& clock_;
  store::Database& db_;
  const crypto::PiiVault& vault_;
  const QrCodes& codes_;
  const Notifier& notifier_;
  BankTransfers& transfers_;
  RegionPolicies& policies_;
};

}  // namespace essc::services
