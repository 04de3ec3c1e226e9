// Bank movements that must survive a crash between the bank call and the database commit
// (R-U4, R-U5; store/bank_transfer_repository.hpp). A self-pay or contribution debit is
// owed back until the caller's transaction records what it paid for; a refund's credit
// is owed until the bank confirms it. Whatever a crash or an unreachable bank leaves owed
// is completed by complete_due(): before the server takes requests, and every
// limits::kDueBankTransferSweepMs while it serves.
//
// Thread safety: as the store and the bank it is given. A request's own row is owed
// until it answers, so complete_due() leaves rows younger than `min_age_ms`: 0 only
// while no request is in flight anywhere (a SQLite folder before serving), otherwise
// owed_transfer_grace_ms().
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "adapters/bank.hpp"
#include "common/clock.hpp"
#include "common/result.hpp"
#include "crypto/pii_vault.hpp"
#include "store/database.hpp"

namespace essc::services {

class BankTransfers {
 public:
  BankTransfers(const Clock& clock, store::Database& db, const crypto::PiiVault& vault,
                adapters::Bank& bank)
      : clock_(clock), db_(db), vault_(vault), bank_(bank) {}

  // In the caller's transaction, before the debit: its reversal is owed from the commit on.
  void owe_reversal(store::Connection& c, const std::string& account, std::int64_t amount_fen,
                    const std::string& reference, std::int64_t now_ms) const;
  // REQUIRES: owe_reversal() for `reference` has committed. Debits `account`; a refusal
  // moved nothing and is owed nothing.
  Status debit_owed(const std::string& account, std::int64_t amount_fen,
                    const std::string& reference);
  // Both of the above, the reversal in a transaction of its own.
  Status debit_owing_reversal(const std::string& account, std::int64_t amount_fen,
                              const std::string& reference);
  // The debit was not recorded after all: the money goes back now (or at start-up if the
  // bank cannot be reached).
  void reverse_debit(const std::string& account, std::int64_t amount_fen,
                     const std::string& reference);

  // In the caller's transaction: `amount_fen` is owed to `account` under `reference`.
  void owe_credit(store::Connection& c, const std::string& account, std::int64_t amount_fen,
                  const std::string& reference, std::int64_t now_ms) const;
  // Pays what owe_credit() recorded; the row goes once the bank confirms.
  Status pay_owed_credit(const std::string& account, std::int64_t amount_fen,
                         const std::string& reference);

  // Completes every owed movement at least `min_age_ms` old that the bank accepts now;
  // returns how many.
  std::size_t complete_due(std::int64_t min_age_ms);

 private:
  void forget(const std::string& reference);

  const Clock& clock_;
  store::Database& db_;
  const crypto::PiiVault& vault_;
  adapters::Bank& bank_;
};

// In the transaction that records what the debit paid for: nothing is owed back.
void debit_recorded(store::Connection& c, const std::string& reference);

// How long a live settlement may owe its reversal: its bank call (the adapters'
// timeout), its record's write retries, and reading back a commit whose outcome was
// lost. An owed row older than this belongs to no request still in flight.
std::int64_t owed_transfer_grace_ms(std::int64_t bank_timeout_ms);

}  // namespace essc::services
