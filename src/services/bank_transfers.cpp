#include "services/bank_transfers.hpp"

#include "common/limits.hpp"
#include "store/bank_transfer_repository.hpp"

namespace essc::services {
namespace {

std::string reversal_of(const std::string& debit_reference) {
  return "reversal:" + debit_reference;
}

}  // namespace

void BankTransfers::forget(const std::string& reference) {
  (void)db_.write<bool>([&](store::Connection& c) -> Result<bool> {
    store::delete_due_bank_transfer(c, reference);
    return true;
  });
}

void BankTransfers::owe_reversal(store::Connection& c, const std::string& account,
                                 std::int64_t amount_fen, const std::string& reference,
                                 std::int64_t now_ms) const {
  store::insert_due_bank_transfer(c, vault_,
                                  {reversal_of(reference), account, amount_fen, reference, now_ms});
}

Status BankTransfers::debit_owed(const std::string& account, std::int64_t amount_fen,
                                 const std::string& reference) {
  auto debited = bank_.debit(account, amount_fen, reference);
  // A refusal moved nothing; an unreachable bank may have moved it, which start-up settles.
  if (!debited && debited.error().code != ErrorCode::kUnavailable) forget(reversal_of(reference));
  return debited;
}

Status BankTransfers::debit_owing_reversal(const std::string& account, std::int64_t amount_fen,
                                           const std::string& reference) {
  const auto now = clock_.now_ms();
  (void)db_.write<bool>([&](store::Connection& c) -> Result<bool> {
    owe_reversal(c, account, amount_fen, reference, now);
    return true;
  });
  return debit_owed(account, amount_fen, reference);
}

void debit_recorded(store::Connection& c, const std::string& reference) {
  store::delete_due_bank_transfer(c, reversal_of(reference));
}

void BankTransfers::reverse_debit(const std::string& account, std::int64_t amount_fen,
                                  const std::string& reference) {
  if (bank_.credit(account, amount_fen, reversal_of(reference))) forget(reversal_of(reference));
}

void BankTransfers::owe_credit(store::Connection& c, const std::string& account,
                               std::int64_t amount_fen, const std::string& reference,
                               std::int64_t now_ms) const {
  store::insert_due_bank_transfer(c, vault_,
                                  {reference, account, amount_fen, std::nullopt, now_ms});
}

Status BankTransfers::pay_owed_credit(const std::string& account, std::int64_t amount_fen,
                                      const std::string& reference) {
  ESSC_TRY(bank_.credit(account, amount_fen, reference));
  forget(reference);
  return {};
}

std::int64_t owed_transfer_grace_ms(std::int64_t bank_timeout_ms) {
  constexpr std::int64_t kMarginMs = 5'000;
  return bank_timeout_ms + limits::kStoreRetriesMax * limits::kStoreRetryBackoffMaxMs +
         limits::kUnknownOutcomeResolveMs + kMarginMs;
}

std::size_t BankTransfers::complete_due(std::int64_t min_age_ms) {
  const auto due =
      db_.read([&](store::Connection& c) { return store::due_bank_transfers(c, vault_); });
  const auto newest = clock_.now_ms() - min_age_ms;
  std::size_t completed = 0;
  for (const auto& t : due) {
    if (t.created_at_ms > newest) continue;
    if (t.undoes) {
      // The debit again under its own reference: the bank applies it only if the crash
      // came before it did, so the reversal then leaves the account as it was either way.
      const auto debited = bank_.debit(t.account_no, t.amount_fen, *t.undoes);
      if (!debited && debited.error().code != ErrorCode::kInsufficientFunds) continue;
      if (!debited) {  // never debited, and it cannot be now: nothing to give back
        forget(t.reference);
        ++completed;
        continue;
      }
    }
    if (!bank_.credit(t.account_no, t.amount_fen, t.reference)) continue;
    forget(t.reference);
    ++completed;
  }
  return completed;
}

}  // namespace essc::services
