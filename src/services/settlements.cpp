#include "services/settlements.hpp"

#include <chrono>

#include "common/assert.hpp"
#include "common/clock.hpp"
#include "common/limits.hpp"
#include "common/masking.hpp"
#include "common/wait.hpp"
#include "crypto/encoding.hpp"
#include "crypto/hash.hpp"
#include "crypto/random.hpp"
#include "domain/ecard.hpp"
#include "services/audit.hpp"
#include "services/risk_cases.hpp"
#include "store/account_repository.hpp"
#include "store/audit_log.hpp"
#include "store/card_repository.hpp"
#include "store/ecard_repository.hpp"
#include "store/filing_repository.hpp"
#include "store/person_repository.hpp"
#include "store/settlement_repository.hpp"

namespace essc::services {
namespace {

ReceiptHolder receipt_naming(const domain::Person& person, const domain::Card& card) {
  return {mask_name(person.name), mask_card_no(card.card_no)};
}

bool settles(const domain::Client& c) {
  return c.kind == domain::ClientKind::kInstitution &&
         (c.institution_type == domain::InstitutionType::kPharmacy ||
          c.institution_type == domain::InstitutionType::kHospital);
}

// R-U4, R-S2: an institution settles only within its kind of service. A pharmacy sells
// from the personal account; only a hospital sees outpatients the pooled fund pays
// for, and it may run a dispensary of its own.
bool may_settle(const domain::Client& institution, domain::Visit visit) {
  if (institution.institution_type == domain::InstitutionType::kHospital) return true;
  return institution.institution_type == domain::InstitutionType::kPharmacy &&
         visit == domain::Visit::kPharmacy;
}

Error level_required(std::int64_t level) {
  Error e(ErrorCode::kLevelRequired);
  e.extras.level_required = level;
  return e;
}

// Whose binding showed the code: the owner of its e-card, who is the holder when a family
// member's code was shown (R-F3).
std::int64_t showing_person(store::Connection& c, std::string_view binding_id) {
  const auto binding = store::find_binding(c, binding_id);
  ESSC_INVARIANT(binding);
  const auto ecard = store::find_ecard(c, binding->ecard_id);
  ESSC_INVARIANT(ecard);
  return ecard->person_id;
}

bool valid_order_id(std::string_view id) {
  if (id.empty() || id.size() > limits::kIdCharsMax) return false;
  for (char ch : id) {
    const bool ok = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
                    (ch >= '0' && ch <= '9') || ch == '-' || ch == '_' || ch == '.' || ch == ':';
    if (!ok) return false;
  }
  return true;
}

// What identifies a request for idempotency: every field, length-prefixed.
std::string request_hash(const SettlementRequest& r) {
  std::string text;
  const auto add = [&](std::string_view field) {
    text += std::to_string(field.size());
    text += ':';
    text += field;
  };
  add(r.qr_token);
  add(r.order_id);
  add(r.visit);
  add(r.self_pay_from_bank ? "bank" : "cash");
  for (const auto& item : r.items) {
    add(item.code);
    add(item.name);
    add(std::to_string(static_cast<int>(item.category)));
    add(std::to_string(item.quantity));
    add(std::to_string(item.unit_price_fen));
  }
  return crypto::sha256(text);
}

// 就医地: the institution's region; one registered without a region treats locally.
std::string treatment_region(const domain::Client& institution, const std::string& insured_region) {
  return institution.region_code.value_or(insured_region);
}

// 跨省: the first two digits of a region code name its province.
bool same_province(std::string_view a, std::string_view b) {
  return a.substr(0, 2) == b.substr(0, 2);
}

// R-K4: the units a cap settled outside the catalogue go to the fund's auditors (R-K6).
void open_quantity_case(store::Connection& c, const domain::Settlement& s) {
  domain::RiskCase r;
  r.opened_at_ms = s.at_ms;
  r.rule = domain::kRuleItemQuantityLimit;
  r.settlement_id = s.settlement_id;
  r.person_id = s.person_id;
  for (const auto& flag : s.quantity_flags) {
    if (!r.detail.empty()) r.detail += "; ";
    r.detail += flag.item_code + " 超量 " + std::to_string(flag.quantity_over);
  }
  open_risk_case(c, std::move(r), "platform");
}

Result<SettlementOutcome> replay_or_mismatch(const domain::Settlement& existing,
                                             std::string_view hash) {
  if (existing.request_hash != hash) return Error(ErrorCode::kIdempotencyMismatch);
  return SettlementOutcome{existing, true, std::nullopt};
}

}  // namespace

Result<SettlementOutcome> SettlementService::settle(const domain::Client& institution,
                                                    const SettlementRequest& request) {
  if (!settles(institution))
    return Error(ErrorCode::kForbidden, "only pharmacies and hospitals settle");
  if (!valid_order_id(request.order_id)) return Error::invalid_field("order_id");
  const auto visit = domain::parse_visit(request.visit);
  if (!visit) return Error::invalid_field("visit");
  if (!may_settle(institution, *visit))
    return Error(ErrorCode::kForbidden, "visit outside the institution's kind");
  ESSC_TRY(domain::validate_bill(request.items));

  const auto now = clock_.now_ms();
  Attempt attempt{
      institution,
      request,
      *visit,
      request_hash(request),
      "st_" + crypto::to_hex(crypto::sha256(institution.client_id + "\n" + request.order_id))
                  .substr(0, limits::kRecordIdHexChars),
      now,
      format_cst_date(now),
      static_cast<std::int64_t>(cst_year(now)),
      codes_.check(request.qr_token),
      RiskGate(db_, notifier_)};
  // A replay is found inside the write that would settle (no read before it): a fresh
  // settlement, the common case, reads its id once. By the id, which the order
  // determines, not by the order, whose neighbours in an index are other settlements.
  auto outcome = request.self_pay_from_bank
                     ? settle_paying_from_bank(attempt)
                     : db_.write_row_locked<SettlementOutcome>(
                           [&](store::Connection& c) -> Result<SettlementOutcome> {
                             if (auto twin = find_twin(c, attempt)) {
                               return replay_or_mismatch(*twin, attempt.hash);
                             }
                             auto scanned = consume_payment_code(c, attempt);
                             if (!scanned) {
                               if (auto twin = committed_twin(c, attempt, scanned.error()))
                                 return replay_or_mismatch(*twin, attempt.hash);
                               return std::move(scanned).error();
                             }
                             return record(c, attempt, scanned->holder, std::nullopt);
                           });
  outcome = attempt.risk.settle(std::move(outcome));
  if (!outcome) {
    audit_refusal(db_, client_audit_name(institution.client_id), "settlement.create",
                  attempt.settlement_id, outcome.error().code, now);
  } else if (!outcome->settlement.audit_index && db_.sequences_audit_on_commit()) {
    // Otherwise sequenced within the merge delay, and the settlement's reads carry it.
    db_.read([&](store::Connection& c) { store::read_audit_indices(c, outcome->settlement); });
  }
  return outcome;
}

// The order settled before, if it did. Most orders did not, so the code's holder, read
// next, is sent ahead to share the flight.
std::optional<domain::Settlement> SettlementService::find_twin(store::Connection& c,
                                                               const Attempt& a) const {
  send_scanned_holder_ahead(c, a.code);
  return store::find_settlement(c, a.settlement_id);
}

Result<ScannedCode> SettlementService::consume_payment_code(store::Connection& c,
                                                            const Attempt& a) const {
  return codes_.consume(c, a.code, "payment", a.institution.client_id, a.now_ms);
}

// Settlements are row-locked writes (store/database.hpp): a twin (the same order, retried
// by the till while the first settled) that used the code after this write looked for it
// has committed by the time the code is refused, and answers the order.
std::optional<domain::Settlement> SettlementService::committed_twin(store::Connection& c,
                                                                    const Attempt& a,
                                                                    const Error& refusal) const {
  if (refusal.code != ErrorCode::kQrUsed) return std::nullopt;
  return store::find_settlement(c, a.settlement_id);
}

Result<std::shared_ptr<const domain::RegionPolicy>> SettlementService::regional_policy(
    store::Connection& c, const Attempt& a, const BindingView& holder) const {
  const auto& insured = holder.person.region_code;
  auto policy = policies_.find(insured);
  if (!policy) return Error(ErrorCode::kRegionNotCovered, "no policy for region " + insured);
  const auto treatment = treatment_region(a.institution, insured);
  if (a.visit == domain::Visit::kOutpatient && !same_province(insured, treatment) &&
      !store::filing_covers(c, holder.person.person_id, treatment, a.day)) {
    return Error(ErrorCode::kCrossRegionFilingRequired);
  }
  return policy;
}

Status SettlementService::within_daily_limit(store::Connection& c, const Attempt& a,
                                             const BindingView& holder,
                                             const domain::RegionPolicy& policy) const {
  if (store::settlements_of_person_on(c, holder.person.person_id, a.day) >=
      policy.daily_settlement_limit) {
    return Error(ErrorCode::kRiskVelocityLimit);
  }
  return {};
}

Status SettlementService::within_risk_rules(store::Connection& c, const Attempt& a,
                                            const BindingView& holder,
                                            const domain::RegionPolicy& policy,
                                            std::int64_t bank_amount_fen) const {
  // A family member's code is the member's consent through the holder's e-card (R-F3):
  // the holder could not answer a step-up for the member.
  if (a.code.family_member_id) return {};
  return a.risk.check(c, risk_question(a, holder, bank_amount_fen), policy.risk);
}

RiskQuestion SettlementService::risk_question(const Attempt& a, const BindingView& holder,
                                              std::int64_t bank_amount_fen) {
  return {holder.person.person_id,
          holder.binding.ecard_id,
          a.institution.client_id,
          domain::kActionSettlement,
          bank_amount_fen,
          true,
          a.now_ms,
          true};
}

void SettlementService::send_checks_ahead(store::Connection& c, const Attempt& a,
                                          const BindingView& holder) {
  const auto person_id = holder.person.person_id;
  store::send_settlements_of_person_on_ahead(c, person_id, a.day);
  store::send_medical_balance_ahead(c, person_id);
  store::send_year_figures_ahead(c, person_id, a.year);
  if (!a.code.family_member_id) send_velocity_reads_ahead(c, risk_question(a, holder, 0));
}

// R-U5 and the bank-balance oracle: the first transaction consumes the code and runs every
// check that can refuse the settlement; only then does money move, and only the bank's
// own answer (INSUFFICIENT_FUNDS) can depend on the amount, once per code. The reversal
// is owed from that same commit, so a crash at any point leaves the account whole.
Result<SettlementOutcome> SettlementService::settle_paying_from_bank(const Attempt& a) {
  // Each attempt debits under a reference of its own: a debit handed back after a failed
  // attempt must not make the bank treat the next attempt's debit as already applied.
  const std::string reference = a.settlement_id + ":" + crypto::random_token(8);
  struct Claim {
    std::optional<SettlementOutcome> twin;
    std::optional<BindingView> holder;
    BankDebit debit;
  };
  auto claim = db_.write_row_locked<Claim>([&](store::Connection& c) -> Result<Claim> {
    const auto replay = [&](const domain::Settlement& twin) -> Result<Claim> {
      ESSC_ASSIGN_OR_RETURN(auto outcome, replay_or_mismatch(twin, a.hash));
      return Claim{std::move(outcome), std::nullopt, {}};
    };
    if (auto twin = find_twin(c, a)) return replay(*twin);
    auto scanned = consume_payment_code(c, a);
    if (!scanned) {
      if (auto twin = committed_twin(c, a, scanned.error())) return replay(*twin);
      return std::move(scanned).error();
    }
    store::lock_person(c, scanned->holder.person.person_id);
    const auto& card = scanned->holder.card;
    // R-F3: the holder's level is not the member's consent to a bank debit.
    if (scanned->family_member_id)
      return Error(ErrorCode::kForbidden, "a family member's code pays self-pay in cash");
    if (scanned->holder.binding.level < domain::kLevelFinancial)
      return level_required(domain::kLevelFinancial);
    if (!card.financial_active || !card.bank_account_no)
      return Error(ErrorCode::kFinancialNotActivated);
    send_checks_ahead(c, a, scanned->holder);
    ESSC_ASSIGN_OR_RETURN(const auto policy, regional_policy(c, a, scanned->holder));
    ESSC_TRY(within_daily_limit(c, a, scanned->holder, *policy));
    const auto priced = price(c, a, scanned->holder, *policy,
                              store::medical_balance_fen(c, scanned->holder.person.person_id));
    BankDebit debit{*card.bank_account_no, priced.split.self_pay_fen, reference};
    ESSC_TRY(within_risk_rules(c, a, scanned->holder, *policy, debit.amount_fen));
    if (debit.amount_fen > 0)
      transfers_.owe_reversal(c, debit.account, debit.amount_fen, reference, a.now_ms);
    return Claim{std::nullopt, std::move(scanned->holder), std::move(debit)};
  });
  if (!claim) return std::move(claim).error();
  if (claim->twin) return std::move(*claim->twin);
  const auto& debit = claim->debit;
  if (debit.amount_fen > 0)
    ESSC_TRY(transfers_.debit_owed(debit.account, debit.amount_fen, debit.reference));
  auto outcome = db_.write_row_locked<SettlementOutcome>(
      [&](store::Connection& c) -> Result<SettlementOutcome> {
        // A twin with another code of the same cardholder may have committed in between.
        if (auto twin = store::find_settlement(c, a.settlement_id)) {
          return replay_or_mismatch(*twin, a.hash);
        }
        return record(c, a, *claim->holder, debit);
      });
  if (!outcome && store::Database::is_outcome_unknown(outcome.error()))
    return resolve_unknown(a, debit);
  if ((!outcome || outcome->replayed) && debit.amount_fen > 0) {
    // Nothing of this call was recorded: money taken from the bank goes back.
    transfers_.reverse_debit(debit.account, debit.amount_fen, debit.reference);
  }
  return outcome;
}

// The store was lost while the settlement committed (a failover): whether it did is read
// back by its order id once the store answers again. Until that is known the debit
// stays, owed back by the reversal row that the settlement's commit would have deleted;
// BankTransfers::complete_due() pays it if the store stays away.
Result<SettlementOutcome> SettlementService::resolve_unknown(const Attempt& a,
                                                             const BankDebit& debit) {
  // Real time, not the platform clock: this waits for a store, not for a business day.
  const auto deadline = std::chrono::steady_clock::now() +
                        std::chrono::milliseconds(limits::kUnknownOutcomeResolveMs);
  while (true) {
    std::optional<std::optional<domain::Settlement>> found;
    try {
      found = db_.read([&](store::Connection& c) {
        return store::find_settlement_by_order(c, a.institution.client_id, a.request.order_id);
      });
    } catch (const store::StoreError&) {
    }
    if (found) {
      if (*found && (*found)->settlement_id == a.settlement_id)
        return SettlementOutcome{std::move(**found), false, std::nullopt};
      if (debit.amount_fen > 0)
        transfers_.reverse_debit(debit.account, debit.amount_fen, debit.reference);
      if (*found) return replay_or_mismatch(**found, a.hash);
      return store::Database::unavailable("the settlement did not commit; retry");
    }
    if (std::chrono::steady_clock::now() >= deadline) return store::Database::outcome_unknown();
    sleep_for(std::chrono::milliseconds(limits::kUnknownOutcomePollMs));
  }
}

SettlementService::Priced SettlementService::price(store::Connection& c, const Attempt& a,
                                                   const BindingView& holder,
                                                   const domain::RegionPolicy& policy,
                                                   std::int64_t balance_fen) const {
  const auto person_id = holder.person.person_id;
  auto quantities =
      domain::check_quantities(policy, a.request.items, [&](const domain::ItemLimit& limit) {
        const auto first_day = format_cst_date(a.now_ms - (limit.window_days - 1) * kMsPerDay);
        return store::quantity_bought_since(c, person_id, limit.code, first_day);
      });
  auto split =
      domain::split_bill(policy, a.visit, a.request.items, balance_fen,
                         store::year_figures(c, person_id, a.year), quantities.units_outside);
  return {std::move(quantities), split};
}

// REQUIRES: in the write transaction that consumed the code. With a bank debit, the split
// must come out as it did when the debit was priced.
Result<SettlementOutcome> SettlementService::record(store::Connection& c, const Attempt& a,
                                                    const BindingView& holder,
                                                    const std::optional<BankDebit>& debit) {
  const auto person_id = holder.person.person_id;
  store::lock_person(c, person_id);
  send_checks_ahead(c, a, holder);
  // With a bank debit, checked again: a concurrent settlement may have taken the day's last.
  ESSC_ASSIGN_OR_RETURN(const auto policy, regional_policy(c, a, holder));
  ESSC_TRY(within_daily_limit(c, a, holder, *policy));
  std::int64_t balance_after = store::medical_balance_fen(c, person_id);
  auto [quantities, split] = price(c, a, holder, *policy, balance_after);
  if (debit && debit->amount_fen != split.self_pay_fen) {
    return Error(ErrorCode::kConflict, "the account changed while the bank was debited; retry");
  }
  ESSC_TRY(within_risk_rules(c, a, holder, *policy, debit ? debit->amount_fen : 0));
  if (split.account_fen > 0) {
    balance_after = store::apply_medical_movement(c, person_id, "settlement", -split.account_fen,
                                                  "医保结算 " + a.request.order_id,
                                                  "settlement:" + a.settlement_id, a.now_ms)
                        .balance_after_fen;
  }
  store::add_year_figures(c, person_id, a.year, split.deductible_part_fen, split.fund_fen);
  domain::Settlement record{a.settlement_id,
                            a.institution.client_id,
                            a.request.order_id,
                            a.hash,
                            holder.binding.binding_id,
                            person_id,
                            a.visit,
                            split.total_fen,
                            split.fund_fen,
                            split.account_fen,
                            split.self_pay_fen,
                            split.deductible_part_fen,
                            debit ? domain::SelfPayMethod::kBank : domain::SelfPayMethod::kCash,
                            balance_after,
                            a.year,
                            a.day,
                            a.now_ms,
                            std::nullopt,
                            std::nullopt,
                            holder.person.region_code,
                            treatment_region(a.institution, holder.person.region_code),
                            std::nullopt,
                            std::nullopt,
                            {}};
  store::append_audit(c, a.now_ms, client_audit_name(a.institution.client_id), "settlement.create",
                      a.settlement_id, "ok", person_id);
  store::insert_settlement(c, record);
  store::insert_settlement_items(c, record, a.request.items, quantities.units_outside);
  if (!quantities.flags.empty()) {
    record.quantity_flags = std::move(quantities.flags);
    open_quantity_case(c, record);
  }
  if (debit) store::record_settlement_debit(c, vault_, a.settlement_id, debit->account);
  if (debit && debit->amount_fen > 0) debit_recorded(c, debit->reference);
  const auto holder_person_id =
      a.code.family_member_id ? showing_person(c, holder.binding.binding_id) : person_id;
  announce_settlement(c, {record, a.institution.name, holder.person, holder_person_id, false},
                      a.now_ms);
  return SettlementOutcome{std::move(record), false, receipt_naming(holder.person, holder.card)};
}

Result<domain::Settlement> SettlementService::get(const domain::Client& institution,
                                                  std::string_view settlement_id) {
  auto record =
      db_.read([&](store::Connection& c) { return store::find_settlement(c, settlement_id); });
  if (!record || record->institution_id != institution.client_id)
    return Error(ErrorCode::kNotFound);
  return std::move(*record);
}

// The account the settlement's bank self-pay debited; for one recorded before accounts
// were kept, the card's account as it stood, from the live card or else the latest.
std::optional<std::string> SettlementService::debited_account(store::Connection& c,
                                                              const domain::Settlement& s) const {
  if (auto account = store::settlement_debit_account(c, vault_, s.settlement_id)) return account;
  auto card = store::find_live_card(c, vault_, s.person_id);
  if (!card || !card->bank_account_no) card = store::find_latest_card(c, vault_, s.person_id);
  return card ? card->bank_account_no : std::nullopt;
}

Result<domain::Settlement> SettlementService::refund(const domain::Client& institution,
                                                     std::string_view settlement_id,
                                                     std::string_view reason) {
  if (reason.empty() || reason.size() > limits::kTextBytesMax)
    return Error::invalid_field("reason");
  ESSC_ASSIGN_OR_RETURN(auto original, get(institution, settlement_id));
  const auto now = clock_.now_ms();
  if (original.refunded_at_ms) {
    audit_refusal(db_, client_audit_name(institution.client_id), "settlement.refund",
                  original.settlement_id, ErrorCode::kAlreadyRefunded, now);
    return Error(ErrorCode::kAlreadyRefunded);
  }
  const std::string refund_reference = "refund:" + std::string(settlement_id);
  std::optional<std::string> bank_account;
  auto refunded =
      db_.write<domain::Settlement>([&](store::Connection& c) -> Result<domain::Settlement> {
        auto s = store::find_settlement(c, settlement_id);
        ESSC_INVARIANT(s);  // get() found it, and settlements are never deleted
        if (s->refunded_at_ms) return Error(ErrorCode::kAlreadyRefunded);
        if (s->self_pay_method == domain::SelfPayMethod::kBank && s->self_pay_fen > 0) {
          // The bank part is owed from the moment the refund commits until the bank has it.
          bank_account = debited_account(c, *s);
          if (!bank_account)
            return Error(ErrorCode::kConflict,
                         "the debited account is unknown; refund at a counter");
          transfers_.owe_credit(c, *bank_account, s->self_pay_fen, refund_reference, now);
        }
        if (s->account_fen > 0) {
          store::apply_medical_movement(c, s->person_id, "refund", s->account_fen,
                                        "医保退费 " + s->order_id, "refund:" + s->settlement_id,
                                        now);
        }
        store::add_year_figures(c, s->person_id, s->year, -s->deductible_part_fen, -s->fund_fen);
        store::append_audit(c, now, client_audit_name(institution.client_id), "settlement.refund",
                            s->settlement_id, "ok", s->person_id);
        store::mark_refunded(c, s->settlement_id, now, reason);
        s->refunded_at_ms = now;
        s->refund_reason = std::string(reason);
        const auto paid_for = store::find_person(c, vault_, s->person_id);
        ESSC_INVARIANT(paid_for);
        announce_settlement(
            c, {*s, institution.name, *paid_for, showing_person(c, s->binding_id), true}, now);
        return std::move(*s);
      });
  if (!refunded) {
    audit_refusal(db_, client_audit_name(institution.client_id), "settlement.refund",
                  original.settlement_id, refunded.error().code, now);
    return refunded;
  }
  if (bank_account) {
    // The bank part goes back under a reference of its own, so a retry never pays twice.
    // The refund has committed: a bank that refuses or does not answer leaves the credit
    // owed, and BankTransfers::complete_due() pays it.
    (void)transfers_.pay_owed_credit(*bank_account, refunded->self_pay_fen, refund_reference);
  }
  if (db_.sequences_audit_on_commit()) {
    db_.read([&](store::Connection& c) { store::read_audit_indices(c, *refunded); });
  }
  return refunded;
}

std::optional<ReceiptHolder> SettlementService::receipt_holder(const domain::Settlement& s) const {
  return db_.read([&](store::Connection& c) -> std::optional<ReceiptHolder> {
    const auto person = store::find_person(c, vault_, s.person_id);
    auto card = store::find_current_card(c, vault_, s.person_id);
    if (!person || !card) return std::nullopt;
    return receipt_naming(*person, *card);
  });
}

Result<DayTotals> SettlementService::day(const domain::Client& institution, std::string_view date) {
  if (!settles(institution)) return Error(ErrorCode::kForbidden);
  if (!parse_rfc3339(std::string(date) + "T00:00:00Z")) return Error::invalid_field("date");
  DayTotals totals;
  totals.settlements = db_.read([&](store::Connection& c) {
    return store::settlements_of_day(c, institution.client_id, date);
  });
  for (const auto& s : totals.settlements) {
    if (s.refunded_at_ms) {
      ++totals.refunded_count;
      continue;
    }
    ++totals.count;
    totals.total_fen += s.total_fen;
    totals.fund_fen += s.fund_fen;
    totals.account_fen += s.account_fen;
    totals.self_pay_fen += s.self_pay_fen;
  }
  return totals;
}

}  // namespace essc::services
