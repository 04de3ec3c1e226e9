#include "services/accounts.hpp"

#include "common/limits.hpp"
#include "common/masking.hpp"
#include "crypto/encoding.hpp"
#include "crypto/hash.hpp"
#include "domain/id_number.hpp"
#include "domain/money.hpp"
#include "domain/period.hpp"
#include "domain/person.hpp"
#include "store/account_repository.hpp"
#include "store/audit_log.hpp"
#include "store/card_repository.hpp"
#include "store/person_repository.hpp"

namespace essc::services {
namespace {

bool valid_benefit_kind(std::string_view kind) {
  return kind == "pension" || kind == "unemployment" || kind == "medical_reimbursement";
}

bool valid_memo(std::string_view memo) {
  if (memo.empty() || memo.size() > limits::kTextBytesMax) return false;
  for (unsigned char ch : memo) {
    if (ch < 0x20 || ch == 0x7f) return false;
  }
  return true;
}

}  // namespace

Result<domain::AccountMovement> AccountService::credit_medical(const Actor& actor,
                                                               const MedicalCredit& request) {
  auto id = domain::IdNumber::parse(request.id_number);
  if (!id) return std::move(id).error();
  auto amount = domain::parse_amount_fen(request.amount_fen);
  if (!amount) return std::move(amount).error();
  if (!valid_memo(request.memo)) return Error::invalid_field("memo");
  std::optional<std::string> reference;
  if (request.idempotency_key) {
    if (request.idempotency_key->empty() || request.idempotency_key->size() > limits::kIdCharsMax) {
      return Error::invalid_field("Idempotency-Key");
    }
    reference = "credit:" + *request.idempotency_key;
  }
  const auto now = clock_.now_ms();
  return db_.write<domain::AccountMovement>(
      [&](store::Connection& c) -> Result<domain::AccountMovement> {
        auto person = store::find_person_by_id_number(c, vault_, id->str());
        if (!person) return Error::with_field(ErrorCode::kNotFound, "id_number");
        if (reference) {
          if (auto earlier = store::find_movement_by_reference(c, *reference)) {
            if (earlier->amount_fen != *amount || earlier->memo != request.memo) {
              return Error(ErrorCode::kIdempotencyMismatch);
            }
            return std::move(*earlier);
          }
        }
        auto movement = store::apply_medical_movement(c, person->person_id, "credit", *amount,
                                                      request.memo, reference, now);
        store::append_audit(c, now, actor.audit_name, "account.credit",
                            mask_id_number(person->id_number), "ok");
        return movement;
      });
}

Result<BenefitView> AccountService::record_benefit(const Actor& actor, const NewBenefit& request) {
  auto id = domain::IdNumber::parse(request.id_number);
  if (!id) return std::move(id).error();
  if (!valid_benefit_kind(request.kind)) return Error::invalid_field("kind");
  if (!domain::parse_month(request.period)) return Error::invalid_field("period");
  auto amount = domain::parse_amount_fen(request.amount_fen);
  if (!amount) return std::move(amount).error();

  struct Target {
    domain::Person person;
    domain::Card card;
    std::optional<domain::Benefit> existing;
  };
  auto target = db_.read([&](store::Connection& c) -> Result<Target> {
    auto person = store::find_person_by_id_number(c, vault_, id->str());
    if (!person) return Error::with_field(ErrorCode::kNotFound, "id_number");
    auto card = store::find_live_card(c, vault_, person->person_id);
    if (!card) return Error(ErrorCode::kCardNotFound);
    auto existing = store::find_benefit(c, person->person_id, request.kind, request.period);
    return Target{std::move(*person), std::move(*card), std::move(existing)};
  });
  if (!target) return std::move(target).error();
  if (target->existing) {
    if (target->existing->amount_fen != *amount)
      return Error(ErrorCode::kConflict, "benefit already paid");
    return BenefitView{std::move(*target->existing), false};
  }
  if (!target->card.financial_active || !target->card.bank_account_no) {
    return Error(ErrorCode::kFinancialNotActivated);
  }

  const std::string benefit_id =
      "bf_" + crypto::to_hex(crypto::sha256(std::to_string(target->person.person_id) + '\n' +
                                            request.kind + '\n' + request.period))
                  .substr(0, limits::kRecordIdHexChars);
  ESSC_TRY(bank_.credit(*target->card.bank_account_no, *amount, benefit_id));

  const auto now = clock_.now_ms();
  domain::Benefit benefit{benefit_id,   target->person.person_id, target->card.card_no,
                          request.kind, request.period,           *amount,
                          now};
  return db_.write<BenefitView>([&](store::Connection& c) -> Result<BenefitView> {
    if (auto existing = store::find_benefit(c, benefit.person_id, benefit.kind, benefit.period)) {
      return BenefitView{std::move(*existing), false};  // a concurrent twin recorded it first
    }
    store::insert_benefit(c, benefit);
    store::append_audit(c, now, actor.audit_name, "benefit.record", benefit.benefit_id, "ok");
    return BenefitView{benefit, true};
  });
}

}  // namespace essc::services
