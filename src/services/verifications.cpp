#include "services/verifications.hpp"

#include "common/assert.hpp"
#include "common/limits.hpp"
#include "common/masking.hpp"
#include "crypto/encoding.hpp"
#include "crypto/hash.hpp"
#include "crypto/random.hpp"
#include "domain/bank_account.hpp"
#include "domain/ecard.hpp"
#include "domain/id_number.hpp"
#include "domain/person_name.hpp"
#include "domain/phone.hpp"
#include "services/ecards.hpp"
#include "store/audit_log.hpp"
#include "store/card_repository.hpp"
#include "store/ecard_repository.hpp"
#include "store/person_repository.hpp"
#include "store/record_repository.hpp"
#include "store/risk_event_repository.hpp"
#include "store/verification_repository.hpp"

namespace essc::services {
namespace {

// R-S3, R-S6: a try refused because the tries are used up is recorded as every other
// outcome of a check is (audit log and authentication history), and commits with them:
// the refusal is the answer, not a failed write.
template <class T>
Result<Result<T>> out_of_tries(store::Connection& c, const domain::Client& client,
                               const domain::Verification& v, std::string_view action,
                               std::string_view method, std::int64_t now) {
  const auto outcome = std::string(error_code_name(ErrorCode::kAttemptsExceeded));
  store::append_audit(c, now, client_audit_name(client.client_id), std::string(action),
                      v.verification_id, outcome);
  store::insert_auth_event(c, v.person_id, client.client_id, std::string(method), outcome, now);
  return Result<T>(Error(ErrorCode::kAttemptsExceeded));
}

// The code is kept only as a keyed hash bound to its session.
std::string otp_hash(const crypto::PiiVault& vault, std::string_view verification_id,
                     std::string_view code) {
  return vault.blind_index("otp", std::string(verification_id) + ":" + std::string(code));
}

Error resend_too_soon(const domain::Verification& v, std::int64_t now) {
  Error e(ErrorCode::kOtpResendTooSoon);
  e.extras.retry_after =
      retry_after_seconds(*v.otp_sent_at_ms + limits::kOtpResendAfterSeconds * 1000 - now);
  return e;
}

bool sent_within_resend_wait(const domain::Verification& v, std::int64_t now) {
  return v.otp_sent_at_ms && now < *v.otp_sent_at_ms + limits::kOtpResendAfterSeconds * 1000;
}

Error with_fallback(ErrorCode code) {
  Error e(code);
  e.extras.fallback = "sms";
  return e;
}

// The target of a session: the person, their card, and for binding purposes the binding.
struct Subject {
  domain::Person person;
  domain::Card card;
  std::optional<domain::Binding> binding;
};

Result<Subject> subject_for_issue(store::Connection& c, const crypto::PiiVault& vault,
                                  const domain::Client& client, domain::VerificationPurpose purpose,
                                  const NewVerification& r) {
  if (!r.name) return Error::invalid_field("name");
  if (!r.id_number) return Error::invalid_field("id_number");
  ESSC_ASSIGN_OR_RETURN(auto id, domain::IdNumber::parse(*r.id_number));
  ESSC_ASSIGN_OR_RETURN(auto name, domain::parse_person_name(*r.name));
  auto person = store::find_person_by_id_number(c, vault, id.str());
  // An unknown ID number and a wrong name answer alike, so an ID number alone does not
  // tell whether it is registered; CARD_NOT_FOUND (R-E5 "no card exists") is kept for a
  // registered person without a card, which only the right name with the ID number
  // learns. The name is checked before the card, so neither reveals any card state.
  if (!person || person->name != name) return Error(ErrorCode::kNameIdMismatch);
  ESSC_ASSIGN_OR_RETURN(auto card, usable_card(c, vault, person->person_id));
  // R-F2: a family member's consent is about the member's person, not an e-card here.
  if (purpose == domain::VerificationPurpose::kFamilyConsent)
    return Subject{std::move(*person), std::move(card), std::nullopt};
  if (const auto ecard = store::find_ecard_by_card(c, card.card_no)) {
    if (store::find_live_binding(c, ecard->ecard_id, client.client_id))
      return Error(ErrorCode::kEcardExists);
  }
  return Subject{std::move(*person), std::move(card), std::nullopt};
}

// R-K1: a step-up answers an open decision about the binding's own cardholder, from any
// channel holding the e-card; a refusal (deny) only time clears. Another person's
// decision is not found, as an unknown one.
Status open_step_up(store::Connection& c, const BindingView& holder, const NewVerification& r) {
  if (!r.risk_id) return Error::invalid_field("risk_id");
  const auto event = store::find_risk_event(c, *r.risk_id);
  if (!event || event->person_id != holder.person.person_id) return Error(ErrorCode::kNotFound);
  if (event->status != domain::RiskEventStatus::kOpen)
    return Error(ErrorCode::kConflict, "the decision is no longer open");
  if (event->decision != domain::kDecisionStepUp)
    return Error(ErrorCode::kConflict, "a refusal is not cleared by a check");
  return {};
}

// A passed step-up clears its decision in the write that records the pass.
void clear_step_up(store::Connection& c, const domain::Verification& v, std::string_view actor,
                   std::int64_t now) {
  if (v.purpose != domain::VerificationPurpose::kStepUp || !v.risk_id) return;
  if (store::resolve_risk_event(c, *v.risk_id, domain::RiskEventStatus::kOpen,
                                domain::RiskEventStatus::kCleared, now))
    store::append_audit(c, now, std::string(actor), "risk.step_up.pass", *v.risk_id, "ok",
                        v.person_id);
}

Result<Subject> subject_for_binding(store::Connection& c, const crypto::PiiVault& vault,
                                    const domain::Client& client,
                                    domain::VerificationPurpose purpose, const NewVerification& r) {
  if (!r.binding_id) return Error::invalid_field("binding_id");
  auto holder = find_binding_view(c, vault, *r.binding_id);
  if (!holder || holder->binding.client_id != client.client_id) return Error(ErrorCode::kNotFound);
  // An upgrade or a step-up uses the e-card; a reset or a cancelled loss report protects
  // it, and serves a suspended binding too (EcardService's BindingUse table).
  const bool uses = purpose == domain::VerificationPurpose::kUpgrade ||
                    purpose == domain::VerificationPurpose::kStepUp;
  ESSC_TRY(binding_serves(holder->binding, uses ? BindingUse::kUse : BindingUse::kManage));
  if (purpose == domain::VerificationPurpose::kStepUp) ESSC_TRY(open_step_up(c, *holder, r));
  const auto& card = holder->card;
  if (purpose == domain::VerificationPurpose::kCancelLoss &&
      card.status != domain::CardStatus::kLost) {
    return Error(ErrorCode::kInvalidStateTransition);
  }
  if (purpose == domain::VerificationPurpose::kUpgrade) {
    if (auto refusal = domain::ecard_refusal(card.status)) return Error(*refusal);
    if (holder->binding.level >= domain::kLevelFinancial)
      return Error(ErrorCode::kConflict, "already level 2");
    if (!card.financial_active) return Error(ErrorCode::kFinancialNotActivated);
  }
  return Subject{std::move(holder->person), std::move(holder->card), std::move(holder->binding)};
}

}  // namespace

Result<VerificationStarted> VerificationService::start(const domain::Client& client,
                                                       const NewVerification& request) {
  const auto purpose = domain::parse_verification_purpose(request.purpose);
  if (!purpose) return Error::invalid_field("purpose");
  const auto now = clock_.now_ms();
  const std::string verification_id = "vf_" + crypto::random_token(18);
  const std::string actor = client_audit_name(client.client_id);
  auto started =
      db_.write<VerificationStarted>([&](store::Connection& c) -> Result<VerificationStarted> {
        const bool by_name = *purpose == domain::VerificationPurpose::kIssue ||
                             *purpose == domain::VerificationPurpose::kFamilyConsent;
        ESSC_ASSIGN_OR_RETURN(auto subject,
                              by_name ? subject_for_issue(c, vault_, client, *purpose, request)
                                      : subject_for_binding(c, vault_, client, *purpose, request));
        domain::Verification v;
        v.verification_id = verification_id;
        v.client_id = client.client_id;
        v.purpose = *purpose;
        v.person_id = subject.person.person_id;
        v.card_no = subject.card.card_no;
        if (subject.binding) v.binding_id = subject.binding->binding_id;
        if (*purpose == domain::VerificationPurpose::kStepUp) v.risk_id = request.risk_id;
        v.expires_at_ms = now + limits::kVerificationTtlMs;
        v.created_at_ms = now;
        store::insert_verification(c, v);
        store::append_audit(c, now, actor, "verification.start." + request.purpose,
                            mask_card_no(v.card_no), "ok");
        VerificationStarted out{verification_id, {}, v.expires_at_ms, mask_card_no(v.card_no)};
        // An upgrade is the level-2 check itself (R-E3): face cannot give it.
        if (*purpose != domain::VerificationPurpose::kUpgrade) out.methods.emplace_back("face");
        if (subject.card.financial_active) out.methods.emplace_back("sms");
        return out;
      });
  if (!started) {
    // Refusals are authentication attempts too (R-S6); they change nothing else.
    const auto code = std::string(error_code_name(started.error().code));
    (void)db_.write<bool>([&](store::Connection& c) -> Result<bool> {
      store::append_audit(c, now, actor, "verification.start." + request.purpose, "-", code);
      return true;
    });
  }
  return started;
}

Result<bool> VerificationService::has_ecard(const domain::Client& client,
                                            std::string_view verification_id) {
  return db_.read([&](store::Connection& c) -> Result<bool> {
    ESSC_ASSIGN_OR_RETURN(const auto v,
                          open_verification(c, client.client_id, verification_id, clock_.now_ms()));
    if (!v.verified_level) return Error(ErrorCode::kVerificationIncomplete);
    return store::find_ecard_by_card(c, v.card_no).has_value();
  });
}

Result<domain::Card> usable_card(store::Connection& c, const crypto::PiiVault& vault,
                                 std::int64_t person_id) {
  auto card = store::find_current_card(c, vault, person_id);
  if (!card) return Error(ErrorCode::kCardNotFound);
  if (auto refusal = domain::ecard_refusal(card->status)) return Error(*refusal);
  return std::move(*card);
}

Result<domain::Verification> open_verification(store::Connection& c, std::string_view client_id,
                                               std::string_view verification_id,
                                               std::int64_t now_ms) {
  auto v = store::find_verification(c, verification_id);
  if (!v || v->client_id != client_id) return Error(ErrorCode::kNotFound);
  if (v->consumed || v->expires_at_ms <= now_ms) return Error(ErrorCode::kVerificationExpired);
  return std::move(*v);
}

Result<std::int64_t> VerificationService::face(const domain::Client& client,
                                               std::string_view verification_id,
                                               std::string_view image_base64) {
  const auto image = crypto::from_base64(image_base64);
  if (!image || image->empty() || image->size() > limits::kFaceImageBytesMax) {
    return Error::invalid_field("image_base64");
  }
  const auto now = clock_.now_ms();
  // R-S3: the try is taken in a write before the face service is called, so a burst of
  // requests on one session gets no more tries than the limit, however many processes
  // serve it.
  auto person = flatten(db_.write<Result<domain::Person>>(
      [&](store::Connection& c) -> Result<Result<domain::Person>> {
        ESSC_ASSIGN_OR_RETURN(auto v, open_verification(c, client.client_id, verification_id, now));
        if (v.purpose == domain::VerificationPurpose::kUpgrade)
          return Error::invalid_field("method", "an upgrade needs the SMS check");
        if (v.face_attempts >= limits::kFaceAttemptsMax)
          return out_of_tries<domain::Person>(c, client, v, "verification.face", "face", now);
        ++v.face_attempts;
        store::update_verification(c, v);
        auto found = store::find_person(c, vault_, v.person_id);
        ESSC_INVARIANT(found);
        return Result<domain::Person>(std::move(*found));
      }));
  if (!person) return std::move(person).error();

  const auto outcome = face_.verify(
      {person->id_number, person->name, person->photo_police, person->photo_cardholder, *image});
  std::optional<Error> failure;
  switch (outcome) {
    case adapters::FaceOutcome::kMatch:
      break;
    case adapters::FaceOutcome::kMismatch:
      failure = with_fallback(ErrorCode::kFaceMismatch);
      break;
    case adapters::FaceOutcome::kLivenessFailed:
      failure = with_fallback(ErrorCode::kFaceLivenessFailed);
      break;
    case adapters::FaceOutcome::kNoReferencePhoto:
      failure = with_fallback(ErrorCode::kFaceNoReferencePhoto);
      break;
    case adapters::FaceOutcome::kServiceFailure:
      failure = with_fallback(ErrorCode::kFaceServiceUnavailable);
      break;
  }
  const std::string outcome_text = failure ? std::string(error_code_name(failure->code)) : "ok";
  return flatten(
      db_.write<Result<std::int64_t>>([&](store::Connection& c) -> Result<Result<std::int64_t>> {
        ESSC_ASSIGN_OR_RETURN(auto v, open_verification(c, client.client_id, verification_id, now));
        // A service failure is not the applicant's try: it gives back the one it took.
        if (outcome == adapters::FaceOutcome::kServiceFailure && v.face_attempts > 0)
          --v.face_attempts;
        if (!failure)
          v.verified_level =
              std::max<std::int64_t>(v.verified_level.value_or(0), domain::kLevelIdentity);
        store::update_verification(c, v);
        store::append_audit(c, now, client_audit_name(client.client_id), "verification.face",
                            v.verification_id, outcome_text);
        store::insert_auth_event(c, v.person_id, client.client_id, "face", outcome_text, now);
        if (failure) return Result<std::int64_t>(*failure);
        clear_step_up(c, v, client_audit_name(client.client_id), now);
        return Result<std::int64_t>(std::int64_t{1});
      }));
}

Result<SmsSent> VerificationService::send_sms(const domain::Client& client,
                                              std::string_view verification_id,
                                              std::string_view bank_account_no,
                                              std::string_view phone) {
  ESSC_ASSIGN_OR_RETURN(auto account, domain::BankAccountNo::parse(bank_account_no));
  ESSC_ASSIGN_OR_RETURN(auto typed_phone, domain::Phone::parse(phone));
  const auto now = clock_.now_ms();
  ESSC_ASSIGN_OR_RETURN(auto prepared, reserve_four_factor_check(client, verification_id, now));
  const adapters::FourFactors presented{prepared.person.name, prepared.person.id_number,
                                        account.str(), typed_phone.str()};
  const adapters::FourFactors on_file{prepared.person.name, prepared.person.id_number,
                                      *prepared.card.bank_account_no,
                                      *prepared.card.reserved_phone};
  ESSC_ASSIGN_OR_RETURN(const bool matched, bank_.four_factor_check(presented, on_file));
  const std::string reserved_phone = *prepared.card.reserved_phone;
  const std::string code = crypto::random_digits(6);
  ESSC_TRY(record_four_factor_outcome(client, verification_id, matched, reserved_phone, code, now));
  // Sent after the code is durable, so the code in the message is always the one on file.
  ESSC_TRY(sms_.send(reserved_phone,
                     "【电子社保卡】您的验证码为" + code + "，5分钟内有效，请勿告诉他人。"));
  return SmsSent{mask_phone(reserved_phone), limits::kOtpResendAfterSeconds};
}

// R-E4, R-S3: the bank check is taken from both counters (this session's and the
// person's day) in a write before the bank is called, so no burst, on one process or
// many, makes more wrong checks than the limits allow. A wrong answer (or none, when
// the bank cannot be reached) keeps it counted; a match gives it back, as it tells the
// applicant nothing they did not type, and the codes it leads to have R-S3's limits.
Result<VerificationService::FourFactorSubject> VerificationService::reserve_four_factor_check(
    const domain::Client& client, std::string_view verification_id, std::int64_t now) {
  const auto day = format_cst_date(now);
  return flatten(db_.write<Result<FourFactorSubject>>(
      [&](store::Connection& c) -> Result<Result<FourFactorSubject>> {
        ESSC_ASSIGN_OR_RETURN(auto v, open_verification(c, client.client_id, verification_id, now));
        if (v.factor_attempts >= limits::kFourFactorAttemptsMax ||
            v.otp_attempts >= limits::kOtpAttemptsMax) {
          return out_of_tries<FourFactorSubject>(c, client, v, "verification.four_factor",
                                                 "four_factor", now);
        }
        auto card = store::find_card(c, vault_, v.card_no);
        if (!card->financial_active || !card->bank_account_no || !card->reserved_phone) {
          return Error(ErrorCode::kFinancialNotActivated);
        }
        // Checked again when the code is stored; here it spares the bank a call.
        if (sent_within_resend_wait(v, now)) return resend_too_soon(v, now);
        const auto checks_today =
            store::daily_checks_on(c, v.person_id, store::DailyCheck::kFourFactor, day);
        if (checks_today >= limits::kFourFactorChecksPerPersonPerDayMax) {
          return out_of_tries<FourFactorSubject>(c, client, v, "verification.four_factor",
                                                 "four_factor", now);
        }
        ++v.factor_attempts;
        store::update_verification(c, v);
        store::count_daily_check(c, v.person_id, store::DailyCheck::kFourFactor, day);
        auto person = store::find_person(c, vault_, v.person_id);
        ESSC_INVARIANT(person);
        return Result<FourFactorSubject>(FourFactorSubject{std::move(*person), std::move(*card)});
      }));
}

// The code is stored and the send counted in the same write that checks the resend
// wait and the phone's day, before the gateway is called: a burst sends one code.
Status VerificationService::record_four_factor_outcome(const domain::Client& client,
                                                       std::string_view verification_id,
                                                       bool matched,
                                                       const std::string& reserved_phone,
                                                       const std::string& code, std::int64_t now) {
  const std::string phone_index = vault_.blind_index("phone", reserved_phone);
  const auto day = format_cst_date(now);
  const std::string actor = client_audit_name(client.client_id);
  auto recorded =
      flatten(db_.write<Result<bool>>([&](store::Connection& c) -> Result<Result<bool>> {
        ESSC_ASSIGN_OR_RETURN(auto v, open_verification(c, client.client_id, verification_id, now));
        if (!matched) {
          store::append_audit(c, now, actor, "verification.four_factor", v.verification_id,
                              "FOUR_FACTOR_MISMATCH");
          store::insert_auth_event(c, v.person_id, client.client_id, "four_factor",
                                   "FOUR_FACTOR_MISMATCH", now);
          return Result<bool>(Error(ErrorCode::kFourFactorMismatch));
        }
        if (v.factor_attempts > 0) --v.factor_attempts;
        store::uncount_daily_check(c, v.person_id, store::DailyCheck::kFourFactor, day);
        store::update_verification(c, v);
        if (sent_within_resend_wait(v, now)) return Result<bool>(resend_too_soon(v, now));
        if (store::sms_sent_on(c, phone_index, day) >= limits::kOtpPerPhonePerDayMax) {
          store::append_audit(c, now, actor, "verification.sms_send", v.verification_id,
                              "OTP_DAILY_LIMIT");
          return Result<bool>(Error(ErrorCode::kOtpDailyLimit));
        }
        store::count_sms_sent(c, phone_index, day);
        v.otp_hash = otp_hash(vault_, v.verification_id, code);
        v.otp_sent_at_ms = now;
        v.otp_expires_at_ms = now + limits::kOtpTtlMs;
        v.otp_attempts = 0;
        store::update_verification(c, v);
        store::append_audit(c, now, actor, "verification.sms_send", v.verification_id, "ok");
        return Result<bool>(true);
      }));
  if (!recorded) return std::move(recorded).error();
  return {};
}

Result<std::int64_t> VerificationService::verify_sms(const domain::Client& client,
                                                     std::string_view verification_id,
                                                     std::string_view code) {
  const auto now = clock_.now_ms();
  return flatten(
      db_.write<Result<std::int64_t>>([&](store::Connection& c) -> Result<Result<std::int64_t>> {
        ESSC_ASSIGN_OR_RETURN(auto v, open_verification(c, client.client_id, verification_id, now));
        const std::string actor = client_audit_name(client.client_id);
        if (!v.otp_hash) return Result<std::int64_t>(Error(ErrorCode::kVerificationIncomplete));
        if (v.otp_attempts >= limits::kOtpAttemptsMax)
          return out_of_tries<std::int64_t>(c, client, v, "verification.sms_verify", "sms", now);
        if (now >= *v.otp_expires_at_ms) return Result<std::int64_t>(Error(ErrorCode::kOtpExpired));
        if (!crypto::constant_time_equal(*v.otp_hash, otp_hash(vault_, v.verification_id, code))) {
          ++v.otp_attempts;
          store::update_verification(c, v);
          store::append_audit(c, now, actor, "verification.sms_verify", v.verification_id,
                              "OTP_INVALID");
          store::insert_auth_event(c, v.person_id, client.client_id, "sms", "OTP_INVALID", now);
          Error e(v.otp_attempts >= limits::kOtpAttemptsMax ? ErrorCode::kAttemptsExceeded
                                                            : ErrorCode::kOtpInvalid);
          e.extras.tries_left = limits::kOtpAttemptsMax - v.otp_attempts;
          return Result<std::int64_t>(e);
        }
        v.verified_level = domain::kLevelFinancial;
        v.otp_hash.reset();  // a code works once
        store::update_verification(c, v);
        store::append_audit(c, now, actor, "verification.sms_verify", v.verification_id, "ok");
        store::insert_auth_event(c, v.person_id, client.client_id, "sms", "ok", now);
        clear_step_up(c, v, actor, now);
        return Result<std::int64_t>(std::int64_t{2});
      }));
}

Result<domain::Verification> consume_verification(store::Connection& c, std::string_view client_id,
                                                  std::string_view verification_id,
                                                  domain::VerificationPurpose purpose,
                                                  const std::optional<std::string>& binding_id,
                                                  std::int64_t now_ms) {
  ESSC_ASSIGN_OR_RETURN(auto v, open_verification(c, client_id, verification_id, now_ms));
  if (v.purpose != purpose || (binding_id && v.binding_id != binding_id)) {
    return Error::invalid_field("verification_id", "verification for another purpose or binding");
  }
  if (!v.verified_level) return Error(ErrorCode::kVerificationIncomplete);
  v.consumed = true;
  store::update_verification(c, v);
  return v;
}

}  // namespace essc::services
