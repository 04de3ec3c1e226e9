#include "services/bank_transfers.hpp"

#include "common/limits.hpp"
#include "store/bank_transfer_repository.hpp"

namespace essc::services {
namespace {

std::string reversal_of(const std::string& debit_reference) {
  return "reversal:" + debit_reference;
}

void forget(Context& ctx, const std::string& reference) {
  (void)ctx.db.write<bool>([&](store::Connection& c) -> Result<bool> {
    store::delete_due_bank_transfer(c, reference);
    return true;
  });
}

}  // namespace

void owe_reversal(store::Connection& c, const Context& ctx, const std::string& account,
                  std::int64_t amount_fen, const std::string& reference, std::int64_t now_ms) {
  store::insert_due_bank_transfer(c, ctx.vault,
                                  {reversal_of(reference), account, amount_fen, reference, now_ms});
}

Status debit_owed(Context& ctx, const std::string& account, std::int64_t amount_fen,
                  const std::string& reference) {
  auto debited = ctx.bank.debit(account, amount_fen, reference);
  // A refusal moved nothing; an unreachable bank may have moved it, which start-up settles.
  if (!debited && debited.error().code != ErrorCode::kUnavailable)
    forget(ctx, reversal_of(reference));
  return debited;
}

Status debit_owing_reversal(Context& ctx, const std::string& account, std::int64_t amount_fen,
                            const std::string& reference) {
  const auto now = ctx.clock.now_ms();
  (void)ctx.db.write<bool>([&](store::Connection& c) -> Result<bool> {
    owe_reversal(c, ctx, account, amount_fen, reference, now);
    return true;
  });
  return debit_owed(ctx, account, amount_fen, reference);
}

void debit_recorded(store::Connection& c, const std::string& reference) {
  store::delete_due_bank_transfer(c, reversal_of(reference));
}

void reverse_debit(Context& ctx, const std::string& account, std::int64_t amount_fen,
                   const std::string& reference) {
  if (ctx.bank.credit(account, amount_fen, reversal_of(reference)))
    forget(ctx, reversal_of(reference));
}

void owe_credit(store::Connection& c, const Context& ctx, const std::string& account,
                std::int64_t amount_fen, const std::string& reference, std::int64_t now_ms) {
  store::insert_due_bank_transfer(c, ctx.vault,
                                  {reference, account, amount_fen, std::nullopt, now_ms});
}

Status pay_owed_credit(Context& ctx, const std::string& account, std::int64_t amount_fen,
                       const std::string& reference) {
  ESSC_TRY(ctx.bank.credit(account, amount_fen, reference));
  forget(ctx, reference);
  return {};
}

std::int64_t owed_transfer_grace_ms(std::int64_t bank_timeout_ms) {
  constexpr std::int64_t kMarginMs = 5'000;
  return bank_timeout_ms + limits::kStoreRetriesMax * limits::kStoreRetryBackoffMaxMs +
         limits::kUnknownOutcomeResolveMs + kMarginMs;
}

std::size_t complete_due_bank_transfers(Context& ctx, std::int64_t min_age_ms) {
  const auto due =
      ctx.db.read([&](store::Connection& c) { return store::due_bank_transfers(c, ctx.vault); });
  const auto newest = ctx.clock.now_ms() - min_age_ms;
  std::size_t completed = 0;
  for (const auto& t : due) {
    if (t.created_at_ms > newest) continue;
    if (t.undoes) {
      // The debit again under its own reference: the bank applies it only if the crash
      // came before it did, so the reversal then leaves the account as it was either way.
      const auto debited = ctx.bank.debit(t.account_no, t.amount_fen, *t.undoes);
      if (!debited && debited.error().code != ErrorCode::kInsufficientFunds) continue;
      if (!debited) {  // never debited, and it cannot be now: nothing to give back
        forget(ctx, t.reference);
        ++completed;
        continue;
      }
    }
    if (!ctx.bank.credit(t.account_no, t.amount_fen, t.reference)) continue;
    forget(ctx, t.reference);
    ++completed;
  }
  return completed;
}

}  // namespace essc::services
