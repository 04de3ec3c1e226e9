#include "services/settlements.hpp"

#include "common/clock.hpp"
#include "crypto/encoding.hpp"
#include "crypto/hash.hpp"
#include "crypto/random.hpp"
#include "services/bank_transfers.hpp"
#include "services/usage.hpp"
#include "store/account_repository.hpp"
#include "store/audit_log.hpp"
#include "store/ecard_repository.hpp"
#include "store/usage_repository.hpp"

namespace essc::services {
namespace {

bool settles(const store::ClientRecord& c) {
  return c.kind == store::ClientKind::kInstitution &&
         (c.institution_type == "pharmacy" || c.institution_type == "hospital");
}

bool valid_order_id(std::string_view id) {
  if (id.empty() || id.size() > 64) return false;
  for (char ch : id) {
    const bool ok = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') || ch == '-' ||
                    ch == '_' || ch == '.' || ch == ':';
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

Result<SettlementOutcome> replay_or_mismatch(const store::SettlementRecord& existing, std::string_view hash) {
  if (existing.request_hash != hash) return Error(ErrorCode::kIdempotencyMismatch);
  return SettlementOutcome{existing, true};
}

}  // namespace

const domain::RegionPolicy& SettlementService::policy_for(std::string_view region_code) const {
  const auto it = policies_.find(region_code);
  return it == policies_.end() ? default_policy_ : it->second;
}

Result<SettlementOutcome> SettlementService::settle(const store::ClientRecord& institution,
                                                    const SettlementRequest& request) {
  if (!settles(institution)) return Error(ErrorCode::kForbidden, "only pharmacies and hospitals settle");
  if (!valid_order_id(request.order_id)) return Error::invalid_field("order_id");
  if (request.visit != "pharmacy" && request.visit != "outpatient") return Error::invalid_field("visit");
  ESSC_TRY(domain::validate_bill(request.items));
  const auto visit = request.visit == "pharmacy" ? domain::Visit::kPharmacy : domain::Visit::kOutpatient;
  const auto hash = request_hash(request);
  const std::string settlement_id =
      "st_" + crypto::to_hex(crypto::sha256(institution.client_id + "\n" + request.order_id)).substr(0, 24);
  const std::string actor = "client:" + institution.client_id;

  const auto earlier = ctx_.db.read(
      [&](store::Connection& c) { return store::find_settlement_by_order(c, institution.client_id, request.order_id); });
  if (earlier) return replay_or_mismatch(*earlier, hash);

  const auto now = ctx_.clock.now_ms();
  const auto day = format_cst_date(now);
  const auto year = static_cast<std::int64_t>(cst_year(now));

  // The split as it would be now; with bank self-pay, the bank is debited this amount
  // before the transaction, which must then arrive at the same split.
  std::optional<std::int64_t> bank_debit_fen;
  std::optional<std::string> bank_account;
  // Each attempt debits under a reference of its own: a debit handed back after a failed
  // attempt must not make the bank treat the next attempt's debit as already applied.
  const std::string bank_reference = settlement_id + ":" + crypto::random_token(8);
  if (request.self_pay_from_bank) {
    auto preview = ctx_.db.read([&](store::Connection& c) -> Result<std::pair<std::int64_t, std::string>> {
      ESSC_ASSIGN_OR_RETURN(auto claims, ctx_.qr.verify(request.qr_token));
      const auto code = store::find_qr_code(c, claims.token_id);
      if (!code) return Error(ErrorCode::kQrInvalid);
      const auto binding = store::find_binding(c, code->binding_id);
      if (binding->level < 2) {
        Error e(ErrorCode::kLevelRequired);
        e.extras.level_required = 2;
        return e;
      }
      const auto ecard = store::find_ecard(c, binding->ecard_id);
      const auto card = ctx_.cards.find(c, ecard->card_no);
      if (!card->financial_active || !card->bank_account_no) return Error(ErrorCode::kFinancialNotActivated);
      const auto split = domain::split_bill(policy_for(card->region_code), visit, request.items,
                                            store::medical_balance_fen(c, card->person_id),
                                            store::year_figures(c, card->person_id, year));
      return std::pair{split.self_pay_fen, *card->bank_account_no};
    });
    if (!preview) return std::move(preview).error();
    bank_debit_fen = preview->first;
    bank_account = preview->second;
    // Owed back unless the settlement below commits, even across a crash.
    if (*bank_debit_fen > 0) ESSC_TRY(debit_owing_reversal(ctx_, *bank_account, *bank_debit_fen, bank_reference));
  }

  auto outcome = ctx_.db.write<SettlementOutcome>([&](store::Connection& c) -> Result<SettlementOutcome> {
    // A concurrent twin may have committed since the check above.
    if (auto twin = store::find_settlement_by_order(c, institution.client_id, request.order_id)) {
      return replay_or_mismatch(*twin, hash);
    }
    ESSC_ASSIGN_OR_RETURN(auto scanned,
                          consume_scanned_code(c, ctx_, request.qr_token, "payment", institution.client_id, now));
    const auto& holder = scanned.holder;
    const auto& policy = policy_for(holder.card.region_code);
    if (store::settlements_of_person_on(c, holder.person.person_id, day) >= policy.daily_settlement_limit) {
      return Error(ErrorCode::kRiskVelocityLimit);
    }
    const auto balance = store::medical_balance_fen(c, holder.person.person_id);
    const auto split = domain::split_bill(policy, visit, request.items, balance,
                                          store::year_figures(c, holder.person.person_id, year));
    if (bank_debit_fen && *bank_debit_fen != split.self_pay_fen) {
      return Error(ErrorCode::kConflict, "the account changed while the bank was debited; retry");
    }
    std::int64_t balance_after = balance;
    if (split.account_fen > 0) {
      balance_after = store::apply_medical_movement(c, holder.person.person_id, "settlement", -split.account_fen,
                                                    "医保结算 " + request.order_id, "settlement:" + settlement_id, now)
                          .balance_after_fen;
    }
    store::add_year_figures(c, holder.person.person_id, year, split.deductible_part_fen, split.fund_fen);
    store::SettlementRecord record{settlement_id,      institution.client_id,
                                   request.order_id,   hash,
                                   holder.binding.binding_id, holder.person.person_id,
                                   request.visit,      split.total_fen,
                                   split.fund_fen,     split.account_fen,
                                   split.self_pay_fen, split.deductible_part_fen,
                                   bank_debit_fen ? "bank" : "cash", balance_after,
                                   year,               day,
                                   now,                std::nullopt,
                                   std::nullopt};
    store::insert_settlement(c, record);
    if (bank_debit_fen && *bank_debit_fen > 0) debit_recorded(c, bank_reference);
    store::append_audit(c, now, actor, "settlement.create", settlement_id, "ok");
    return SettlementOutcome{std::move(record), false};
  });
  if (!outcome || outcome->replayed) {
    // Nothing of this call was recorded: money taken from the bank goes back.
    if (bank_debit_fen && *bank_debit_fen > 0) reverse_debit(ctx_, *bank_account, *bank_debit_fen, bank_reference);
  }
  if (!outcome && outcome.error().code != ErrorCode::kIdempotencyMismatch) {
    const auto code = std::string(error_code_name(outcome.error().code));
    (void)ctx_.db.write<bool>([&](store::Connection& c) -> Result<bool> {
      store::append_audit(c, now, actor, "settlement.create", settlement_id, code);
      return true;
    });
  }
  return outcome;
}

Result<store::SettlementRecord> SettlementService::get(const store::ClientRecord& institution,
                                                       std::string_view settlement_id) {
  auto record = ctx_.db.read([&](store::Connection& c) { return store::find_settlement(c, settlement_id); });
  if (!record || record->institution_id != institution.client_id) return Error(ErrorCode::kNotFound);
  return std::move(*record);
}

Result<store::SettlementRecord> SettlementService::refund(const store::ClientRecord& institution,
                                                          std::string_view settlement_id, std::string_view reason) {
  if (reason.empty() || reason.size() > 200) return Error::invalid_field("reason");
  ESSC_ASSIGN_OR_RETURN(auto original, get(institution, settlement_id));
  if (original.refunded_at_ms) return Error(ErrorCode::kAlreadyRefunded);
  const auto now = ctx_.clock.now_ms();
  const std::string refund_reference = "refund:" + std::string(settlement_id);
  std::optional<std::string> bank_account;
  auto refunded = ctx_.db.write<store::SettlementRecord>([&](store::Connection& c) -> Result<store::SettlementRecord> {
    auto s = store::find_settlement(c, settlement_id);
    if (s->refunded_at_ms) return Error(ErrorCode::kAlreadyRefunded);
    if (s->self_pay_method == "bank" && s->self_pay_fen > 0) {
      // The bank part is owed from the moment the refund commits until the bank has it.
      const auto card = ctx_.cards.find_live_for_person(c, s->person_id);
      if (card && card->bank_account_no) {
        bank_account = card->bank_account_no;
        owe_credit(c, ctx_, *bank_account, s->self_pay_fen, refund_reference, now);
      }
    }
    if (s->account_fen > 0) {
      store::apply_medical_movement(c, s->person_id, "refund", s->account_fen, "医保退费 " + s->order_id,
                                    "refund:" + s->settlement_id, now);
    }
    store::add_year_figures(c, s->person_id, s->year, -s->deductible_part_fen, -s->fund_fen);
    store::mark_refunded(c, s->settlement_id, now, reason);
    s->refunded_at_ms = now;
    s->refund_reason = std::string(reason);
    store::append_audit(c, now, "client:" + institution.client_id, "settlement.refund", s->settlement_id, "ok");
    return std::move(*s);
  });
  if (!refunded) return refunded;
  if (bank_account) {
    // The bank part goes back under a reference of its own, so a retry never pays twice.
    ESSC_TRY(pay_owed_credit(ctx_, *bank_account, refunded->self_pay_fen, refund_reference));
  }
  return refunded;
}

Result<DayTotals> SettlementService::day(const store::ClientRecord& institution, std::string_view date) {
  if (!settles(institution)) return Error(ErrorCode::kForbidden);
  if (!parse_rfc3339(std::string(date) + "T00:00:00Z")) return Error::invalid_field("date");
  DayTotals totals;
  totals.settlements = ctx_.db.read(
      [&](store::Connection& c) { return store::settlements_of_day(c, institution.client_id, date); });
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
