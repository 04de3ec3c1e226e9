#include "services/contributions.hpp"

#include <algorithm>

#include "common/clock.hpp"
#include "common/limits.hpp"
#include "crypto/encoding.hpp"
#include "crypto/hash.hpp"
#include "crypto/random.hpp"
#include "domain/ecard.hpp"
#include "domain/money.hpp"
#include "services/audit.hpp"
#include "services/risk_control.hpp"
#include "store/audit_log.hpp"
#include "store/verification_repository.hpp"

namespace essc::services {
namespace {

domain::Period month_of(std::int64_t now_ms) {
  return *domain::parse_month(format_cst_date(now_ms).substr(0, 7));
}

Error level_two_required() {
  Error e(ErrorCode::kLevelRequired);
  e.extras.level_required = domain::kLevelFinancial;
  return e;
}

// An earlier payment of the period answers: with the same amount it is this payment
// again, with another it is a conflict; checked again inside the recording write, where
// a concurrent twin may have paid first.
Result<ContributionOutcome> earlier_payment(std::optional<store::ContributionRecord> earlier,
                                            std::int64_t amount_fen) {
  if (earlier->amount_fen != amount_fen)
    return Error(ErrorCode::kConflict, "this period is already paid with another amount");
  return ContributionOutcome{std::move(*earlier), true};
}

}  // namespace

struct ContributionService::Payment {
  const domain::Client& client;
  BindingView holder;
  store::ContributionRecord record;
  std::string day;
  std::shared_ptr<const domain::RegionPolicy> policy;
};

Result<std::shared_ptr<const domain::RegionPolicy>> ContributionService::policy_of(
    const BindingView& holder) const {
  auto policy = settlements_.policies().find(holder.person.region_code);
  if (!policy)
    return Error(ErrorCode::kRegionNotCovered, "no policy for region " + holder.person.region_code);
  return policy;
}

Result<ContributionOutcome> ContributionService::pay(const domain::Client& client,
                                                     std::string_view binding_id,
                                                     const NewContribution& request) {
  const auto kind = domain::parse_contribution_kind(request.insurance);
  if (!kind) return Error::invalid_field("insurance");
  const auto period = domain::parse_period(request.period);
  if (!period) return Error::invalid_field("period");
  ESSC_ASSIGN_OR_RETURN(const auto amount, domain::parse_amount_fen(request.amount_fen));
  ESSC_ASSIGN_OR_RETURN(auto holder, ecards_.owned_binding(client, binding_id, BindingUse::kUse));
  if (holder.binding.level < domain::kLevelFinancial) return level_two_required();
  if (!holder.card.financial_active || !holder.card.bank_account_no)
    return Error(ErrorCode::kFinancialNotActivated);
  ESSC_ASSIGN_OR_RETURN(const auto policy, policy_of(holder));
  const auto now = clock_.now_ms();
  const auto open = domain::open_periods(*kind, month_of(now), *policy);
  if (std::find(open.begin(), open.end(), *period) == open.end())
    return Error::invalid_field("period", "not open for payment");
  ESSC_TRY(ecards_.check_password(holder.binding.ecard_id, request.password, client));

  const auto person_id = holder.person.person_id;
  const std::string contribution_id =
      "ct_" + crypto::to_hex(crypto::sha256(std::to_string(person_id) + "\n" + request.insurance +
                                            "\n" + request.period))
                  .substr(0, limits::kRecordIdHexChars);
  Payment p{client,
            std::move(holder),
            {contribution_id, person_id, std::string(binding_id), request.insurance, request.period,
             amount, now},
            format_cst_date(now),
            policy};
  auto outcome = debit_and_record(p);
  if (!outcome)
    audit_refusal(db_, client_audit_name(client.client_id), "contribution.pay",
                  p.record.contribution_id, outcome.error().code, now);
  return outcome;
}

Result<ContributionOutcome> ContributionService::debit_and_record(const Payment& p) {
  const auto& r = p.record;
  auto earlier = db_.read([&](store::Connection& c) {
    return store::find_contribution(c, r.person_id, r.insurance, r.period);
  });
  if (earlier) return earlier_payment(std::move(earlier), r.amount_fen);
  ESSC_TRY(reserve_funds_answer(p));
  const auto& account = *p.holder.card.bank_account_no;
  // Each attempt debits under a reference of its own (see settlements.cpp); owed back
  // unless the contribution below is recorded, even across a crash.
  const std::string bank_reference = r.contribution_id + ":" + crypto::random_token(8);
  const auto debited = transfers_.debit_owing_reversal(account, r.amount_fen, bank_reference);
  if (!debited) {
    if (debited.error().code != ErrorCode::kInsufficientFunds) give_back_funds_answer(p);
    return debited.error();
  }
  give_back_funds_answer(p);
  auto outcome =
      db_.write<ContributionOutcome>([&](store::Connection& c) -> Result<ContributionOutcome> {
        if (auto twin = store::find_contribution(c, r.person_id, r.insurance, r.period))
          return earlier_payment(std::move(twin), r.amount_fen);
        store::append_audit(c, r.at_ms, client_audit_name(p.client.client_id), "contribution.pay",
                            r.contribution_id, "ok", r.person_id);
        store::insert_contribution(c, r);
        debit_recorded(c, bank_reference);
        announce_contribution(c, r);
        return ContributionOutcome{r, false};
      });
  if (!outcome || outcome->replayed) {
    // This attempt's debit was not recorded: it goes back under a reference of its own.
    transfers_.reverse_debit(account, r.amount_fen, bank_reference);
  }
  return outcome;
}

Status ContributionService::reserve_funds_answer(const Payment& p) {
  // R-K2: a contribution is bank money leaving; a step-up debits nothing.
  const RiskQuestion question{p.record.person_id,  p.holder.binding.ecard_id,
                              p.client.client_id,  domain::kActionContribution,
                              p.record.amount_fen, false,
                              p.record.at_ms,      false};
  RiskGate risk(db_, notifier_);
  auto reserved = db_.write<bool>([&](store::Connection& c) -> Result<bool> {
    if (store::daily_checks_on(c, p.record.person_id, store::DailyCheck::kBankDebit, p.day) >=
        limits::kBankFundsRefusalsPerPersonPerDayMax) {
      return Error(ErrorCode::kAttemptsExceeded, "bank debits refused today");
    }
    ESSC_TRY(risk.check(c, question, p.policy->risk));
    store::count_daily_check(c, p.record.person_id, store::DailyCheck::kBankDebit, p.day);
    return true;
  });
  if (!reserved) return risk.settle(std::move(reserved)).error();
  return {};
}

void ContributionService::give_back_funds_answer(const Payment& p) {
  (void)db_.write<bool>([&](store::Connection& c) -> Result<bool> {
    store::uncount_daily_check(c, p.record.person_id, store::DailyCheck::kBankDebit, p.day);
    return true;
  });
}

Result<std::vector<DuePeriod>> ContributionService::due(const domain::Client& client,
                                                        std::string_view binding_id) {
  ESSC_ASSIGN_OR_RETURN(auto holder, ecards_.owned_binding(client, binding_id, BindingUse::kShow));
  ESSC_ASSIGN_OR_RETURN(const auto policy, policy_of(holder));
  const auto this_month = month_of(clock_.now_ms());
  std::vector<DuePeriod> due;
  for (auto kind :
       {domain::ContributionKind::kResidentMedical, domain::ContributionKind::kFlexiblePension}) {
    for (const auto& period : domain::open_periods(kind, this_month, *policy))
      due.push_back({kind, period, domain::period_amount_fen(kind, *policy), false});
  }
  db_.read([&](store::Connection& c) {
    for (auto& d : due) {
      d.paid = store::find_contribution(c, holder.person.person_id, domain::to_string(d.kind),
                                        d.period.str())
                   .has_value();
    }
    return 0;
  });
  return due;
}

}  // namespace essc::services
