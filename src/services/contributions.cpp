#include "services/contributions.hpp"

#include "crypto/encoding.hpp"
#include "crypto/hash.hpp"
#include "crypto/random.hpp"
#include "domain/money.hpp"
#include "services/bank_transfers.hpp"
#include "services/usage.hpp"
#include "store/audit_log.hpp"

namespace essc::services {
namespace {

bool valid_period(std::string_view p) {
  const auto digits = [&](std::size_t from, std::size_t count) {
    for (std::size_t i = from; i < from + count; ++i) {
      if (p[i] < '0' || p[i] > '9') return false;
    }
    return true;
  };
  if (p.size() == 4) return digits(0, 4);
  if (p.size() != 7 || p[4] != '-' || !digits(0, 4) || !digits(5, 2)) return false;
  const int month = (p[5] - '0') * 10 + (p[6] - '0');
  return month >= 1 && month <= 12;
}

}  // namespace

Result<ContributionOutcome> ContributionService::pay(const domain::Client& client,
                                                     std::string_view binding_id,
                                                     const NewContribution& request) {
  if (request.insurance != "resident_medical" && request.insurance != "flexible_pension") {
    return Error::invalid_field("insurance");
  }
  if (!valid_period(request.period)) return Error::invalid_field("period");
  ESSC_ASSIGN_OR_RETURN(const auto amount, domain::parse_amount_fen(request.amount_fen));
  ESSC_ASSIGN_OR_RETURN(auto holder, ecards_.owned_binding(client, binding_id, BindingUse::kUse));
  if (holder.binding.level < 2) {
    Error e(ErrorCode::kLevelRequired);
    e.extras.level_required = 2;
    return e;
  }
  if (!holder.card.financial_active || !holder.card.bank_account_no)
    return Error(ErrorCode::kFinancialNotActivated);
  ESSC_TRY(ecards_.check_password(holder.binding.ecard_id, request.password, client));

  const auto person_id = holder.person.person_id;
  const auto earlier = ctx_.db.read([&](store::Connection& c) {
    return store::find_contribution(c, person_id, request.insurance, request.period);
  });
  if (earlier) {
    if (earlier->amount_fen != amount)
      return Error(ErrorCode::kConflict, "already paid for this period");
    return ContributionOutcome{*earlier, true};
  }
  const std::string contribution_id =
      "ct_" + crypto::to_hex(crypto::sha256(std::to_string(person_id) + "\n" + request.insurance +
                                            "\n" + request.period))
                  .substr(0, 24);
  // Each attempt debits under a reference of its own (see settlements.cpp).
  const std::string bank_reference = contribution_id + ":" + crypto::random_token(8);
  // Owed back unless the contribution below is recorded, even across a crash.
  ESSC_TRY(debit_owing_reversal(ctx_, *holder.card.bank_account_no, amount, bank_reference));
  const auto now = ctx_.clock.now_ms();
  store::ContributionRecord record{
      contribution_id, person_id, holder.binding.binding_id, request.insurance, request.period,
      amount,          now};
  auto outcome =
      ctx_.db.write<ContributionOutcome>([&](store::Connection& c) -> Result<ContributionOutcome> {
        if (auto twin = store::find_contribution(c, person_id, request.insurance, request.period)) {
          return ContributionOutcome{std::move(*twin), true};  // a concurrent twin paid first
        }
        store::insert_contribution(c, record);
        debit_recorded(c, bank_reference);
        store::append_audit(c, now, "client:" + client.client_id, "contribution.pay",
                            contribution_id, "ok");
        return ContributionOutcome{record, false};
      });
  if (!outcome || outcome->replayed) {
    // This attempt's debit was not recorded: it goes back under a reference of its own.
    reverse_debit(ctx_, *holder.card.bank_account_no, amount, bank_reference);
  }
  return outcome;
}

}  // namespace essc::services
