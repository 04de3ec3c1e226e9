#include "services/ecards.hpp"

#include "common/assert.hpp"
#include "common/clock.hpp"
#include "common/limits.hpp"
#include "crypto/random.hpp"
#include "domain/id_number.hpp"
#include "domain/password_rules.hpp"
#include "domain/pin.hpp"
#include "services/registry.hpp"
#include "services/risk_control.hpp"
#include "services/verifications.hpp"
#include "store/audit_log.hpp"
#include "store/card_repository.hpp"
#include "store/ecard_repository.hpp"
#include "store/notification_repository.hpp"
#include "store/person_repository.hpp"
#include "store/record_repository.hpp"
#include "store/risk_event_repository.hpp"
#include "store/usage_repository.hpp"
#include "store/verification_repository.hpp"

namespace essc::services {
namespace {

Error weak(std::string_view reason) {
  Error e(ErrorCode::kWeakPassword);
  e.extras.reason = std::string(reason);
  return e;
}

Error password_locked(std::int64_t until_ms) {
  Error e(ErrorCode::kPasswordLocked);
  e.extras.unlock_at = format_rfc3339(until_ms);
  e.extras.tries_left = 0;
  return e;
}

// R-S6, R-U7: a refused or wrong password enters the audit log and the cardholder's
// authentication history.
void record_password_attempt(store::Connection& c, const domain::Ecard& ecard,
                             const domain::Client& client, ErrorCode outcome_code,
                             std::int64_t now) {
  const std::string outcome(error_code_name(outcome_code));
  store::append_audit(c, now, client_audit_name(client.client_id), "ecard.password_check",
                      ecard.card_no, outcome);
  store::insert_auth_event(c, ecard.person_id, client.client_id, "password", outcome, now);
}

}  // namespace

Status EcardService::check_new_password(std::string_view password, const domain::Person& person,
                                        const domain::Card& card) {
  if (!domain::is_six_digits(password))
    return Error::with_field(ErrorCode::kInvalidPasswordFormat, "password");
  const auto id = domain::IdNumber::parse(person.id_number);
  if (!id) return Error(ErrorCode::kInternal, "stored ID number no longer parses");
  if (auto reason = domain::weak_password_reason(password, *id)) return weak(*reason);
  const auto day = format_cst_date(clock_.now_ms());
  auto reserved = db_.write<bool>([&](store::Connection& c) -> Result<bool> {
    if (store::daily_checks_on(c, person.person_id, store::DailyCheck::kCardPin, day) >=
        limits::kCardPinChecksPerPersonPerDayMax) {
      return Error(ErrorCode::kAttemptsExceeded, "new passwords compared with the card PINs today");
    }
    store::count_daily_check(c, person.person_id, store::DailyCheck::kCardPin, day);
    return true;
  });
  if (!reserved) return std::move(reserved).error();
  for (const auto& pin_hash : {card.hr_pin_hash, card.financial_pin_hash}) {
    if (pin_hash && hasher_.verify(*pin_hash, password)) return weak(domain::kSameAsCardPin);
  }
  return {};
}

Status binding_serves(const domain::Binding& binding, BindingUse use) {
  if (use == BindingUse::kShow) return {};
  if (binding.status == domain::BindingStatus::kUnlinked) return Error(ErrorCode::kEcardUnlinked);
  if (use == BindingUse::kUse && binding.status == domain::BindingStatus::kSuspended) {
    return Error(ErrorCode::kEcardSuspended);
  }
  return {};
}

Result<domain::Ecard> EcardService::check_password(std::int64_t ecard_id, std::string_view password,
                                                   const domain::Client& client) {
  if (!domain::is_six_digits(password))
    return Error::with_field(ErrorCode::kInvalidPasswordFormat, "password");
  const auto now = clock_.now_ms();
  ESSC_ASSIGN_OR_RETURN(auto reserved, reserve_password_try(ecard_id, client, now));
  const bool right = hasher_.verify(reserved.password_hash, password);
  return record_password_outcome(reserved, right, client, now);
}

// R-W4: the try is counted as a failure, durably, before the slow Argon2id check, so
// however many requests arrive at once (in one process or several: the counter is in the
// database) no more of them reach the hash than the lockout allows. The try that uses
// up the last one sets the lock already; a right password lifts it again.
Result<domain::Ecard> EcardService::reserve_password_try(std::int64_t ecard_id,
                                                         const domain::Client& client,
                                                         std::int64_t now) {
  return flatten(
      db_.write<Result<domain::Ecard>>([&](store::Connection& c) -> Result<Result<domain::Ecard>> {
        auto ecard = store::find_ecard(c, ecard_id);
        if (!ecard) return Error(ErrorCode::kNotFound);
        if (ecard->password_locked_until_ms && now < *ecard->password_locked_until_ms) {
          const auto refusal = password_locked(*ecard->password_locked_until_ms);
          record_password_attempt(c, *ecard, client, refusal.code, now);
          return Result<domain::Ecard>(refusal);
        }
        if (ecard->password_locked_until_ms) {  // the day is over: a fresh run of tries
          ecard->password_failures = 0;
          ecard->password_locked_until_ms.reset();
        }
        ++ecard->password_failures;
        if (ecard->password_failures >= limits::kPasswordFailuresMax) {
          ecard->password_locked_until_ms = now + limits::kPasswordLockMs;
        }
        ecard->updated_at_ms = now;
        store::update_ecard_password_state(c, *ecard);
        return Result<domain::Ecard>(std::move(*ecard));
      }));
}

Result<domain::Ecard> EcardService::record_password_outcome(const domain::Ecard& reserved,
                                                            bool right,
                                                            const domain::Client& client,
                                                            std::int64_t now) {
  return flatten(
      db_.write<Result<domain::Ecard>>([&](store::Connection& c) -> Result<Result<domain::Ecard>> {
        auto current = store::find_ecard(c, reserved.ecard_id);
        if (!current) return Error(ErrorCode::kNotFound);
        // A change or reset committed while this try was checked: it checked the old password.
        const bool still_current = current->password_hash == reserved.password_hash;
        if (right && still_current) {
          current->password_failures = 0;
          current->password_locked_until_ms.reset();
          current->updated_at_ms = now;
          store::update_ecard_password_state(c, *current);
          return Result<domain::Ecard>(std::move(*current));
        }
        // The failure was counted by the reservation; here it is only told and recorded.
        Error e(ErrorCode::kPasswordIncorrect);
        if (reserved.password_locked_until_ms) {
          e = password_locked(*reserved.password_locked_until_ms);
        } else {
          e.extras.tries_left = limits::kPasswordFailuresMax - reserved.password_failures;
        }
        record_password_attempt(c, *current, client, e.code, now);
        return Result<domain::Ecard>(e);
      }));
}

std::optional<BindingView> find_binding_view(store::Connection& c, const crypto::PiiVault& vault,
                                             std::string_view binding_id) {
  auto found = store::find_binding_with_holder(c, vault, binding_id);
  if (!found) return std::nullopt;
  return BindingView{std::move(found->binding), std::move(found->card), std::move(found->person)};
}

void send_binding_view_ahead(store::Connection& c, std::string_view binding_id) {
  store::send_binding_with_holder_ahead(c, binding_id);
}

Result<BindingView> EcardService::owned_binding(const domain::Client& client,
                                                std::string_view binding_id, BindingUse use) {
  return db_.read([&](store::Connection& c) { return owned_binding(c, client, binding_id, use); });
}

Result<BindingView> EcardService::owned_binding(store::Connection& c, const domain::Client& client,
                                                std::string_view binding_id, BindingUse use) const {
  auto view = find_binding_view(c, vault_, binding_id);
  if (!view || view->binding.client_id != client.client_id) return Error(ErrorCode::kNotFound);
  ESSC_TRY(binding_serves(view->binding, use));
  return std::move(*view);
}

Result<BindingView> EcardService::issue(const domain::Client& client,
                                        std::string_view verification_id,
                                        std::string_view password) {
  if (!domain::is_six_digits(password))
    return Error::with_field(ErrorCode::kInvalidPasswordFormat, "password");
  const auto now = clock_.now_ms();
  struct Prepared {
    domain::Person person;
    domain::Card card;
    std::optional<domain::Ecard> ecard;
  };
  auto prepared = db_.read([&](store::Connection& c) -> Result<Prepared> {
    ESSC_ASSIGN_OR_RETURN(auto v, open_verification(c, client.client_id, verification_id, now));
    if (v.purpose != domain::VerificationPurpose::kIssue)
      return Error::invalid_field("verification_id");
    if (!v.verified_level) return Error(ErrorCode::kVerificationIncomplete);
    // A verification names its card and person; neither is ever deleted.
    auto card = store::find_card(c, vault_, v.card_no);
    auto person = store::find_person(c, vault_, v.person_id);
    ESSC_INVARIANT(card && person);
    return Prepared{std::move(*person), std::move(*card), store::find_ecard_by_card(c, v.card_no)};
  });
  if (!prepared) return std::move(prepared).error();

  // R-E7: one password for all channels. The first issuance sets it; later ones prove it.
  std::optional<std::string> new_hash;
  if (prepared->ecard) {
    ESSC_TRY(check_password(prepared->ecard->ecard_id, password, client));
  } else {
    ESSC_TRY(check_new_password(password, prepared->person, prepared->card));
    new_hash = hasher_.hash(password);
  }

  const std::string binding_id =
      std::string(kBindingIdPrefix) + crypto::random_token(kBindingIdRandomBytes);
  const auto thresholds = risk_thresholds(policies_, prepared->person.region_code);
  RiskGate risk(db_, notifier_);
  return risk.settle(db_.write<BindingView>([&](store::Connection& c) -> Result<BindingView> {
    ESSC_ASSIGN_OR_RETURN(
        auto v, consume_verification(c, client.client_id, verification_id,
                                     domain::VerificationPurpose::kIssue, std::nullopt, now));
    auto card = store::find_card(c, vault_, v.card_no);
    ESSC_INVARIANT(card.has_value());  // the verification's card, never deleted
    if (auto refusal = domain::ecard_refusal(card->status)) return Error(*refusal);
    auto ecard = store::find_ecard_by_card(c, card->card_no);
    if (!ecard) {
      // Another channel issued first while this password was being hashed: it is not
      // the password that channel set, so this request must start over.
      if (!new_hash) return Error(ErrorCode::kConflict, "e-card vanished");
      ecard =
          domain::Ecard{0, card->card_no, card->person_id, *new_hash, 0, std::nullopt, now, now};
      store::insert_ecard(c, *ecard);
    } else if (new_hash) {
      return Error(ErrorCode::kConflict, "e-card issued concurrently in another channel");
    }
    if (store::find_live_binding(c, ecard->ecard_id, client.client_id))
      return Error(ErrorCode::kEcardExists);
    if (!new_hash) {
      ESSC_TRY(
          risk.check(c,
                     RiskQuestion::on_account(ecard->person_id, ecard->ecard_id, client.client_id,
                                              domain::kActionNewChannel, now),
                     thresholds));
    }
    domain::Binding binding{binding_id,
                            ecard->ecard_id,
                            client.client_id,
                            *v.verified_level,
                            domain::BindingStatus::kUsable,
                            now,
                            now};
    store::insert_binding(c, binding, ecard->person_id);
    // R-K2: an e-card already held elsewhere, now issued in this channel too.
    if (!new_hash) store::insert_risk_signal(c, ecard->person_id, kSignalNewChannel, now);
    auto person = store::find_person(c, vault_, card->person_id);
    ESSC_INVARIANT(person.has_value());  // the card's holder
    notifier_.announce(c, *person, EcardEvent::kIssued, {binding}, now);
    store::append_audit(c, now, client_audit_name(client.client_id), "ecard.issue", binding_id,
                        "ok level " + std::to_string(binding.level), person->person_id);
    return BindingView{std::move(binding), std::move(*card), std::move(*person)};
  }));
}

Result<BindingView> EcardService::get(const domain::Client& client, std::string_view binding_id) {
  return owned_binding(client, binding_id, BindingUse::kShow);
}

Status EcardService::unlink(const domain::Client& client, std::string_view binding_id,
                            std::string_view password) {
  ESSC_ASSIGN_OR_RETURN(auto view, owned_binding(client, binding_id, BindingUse::kManage));
  ESSC_TRY(check_password(view.binding.ecard_id, password, client));
  const auto now = clock_.now_ms();
  auto done = db_.write<bool>([&](store::Connection& c) -> Result<bool> {
    auto binding = store::find_binding(c, binding_id);
    ESSC_INVARIANT(binding.has_value());  // read before the write; bindings are never deleted
    ESSC_TRY(binding_serves(*binding, BindingUse::kManage));
    binding->status = domain::BindingStatus::kUnlinked;
    binding->updated_at_ms = now;
    store::update_binding(c, *binding);
    notifier_.announce(c, view.person, EcardEvent::kUnlinked, {*binding}, now);
    store::append_audit(c, now, client_audit_name(client.client_id), "ecard.unlink",
                        binding->binding_id, "ok");
    return true;
  });
  if (!done) return std::move(done).error();
  return {};
}

Result<BindingView> EcardService::upgrade(const domain::Client& client, std::string_view binding_id,
                                          std::string_view verification_id) {
  ESSC_ASSIGN_OR_RETURN(auto view, owned_binding(client, binding_id, BindingUse::kUse));
  const auto now = clock_.now_ms();
  return db_.write<BindingView>([&](store::Connection& c) -> Result<BindingView> {
    auto binding = store::find_binding(c, binding_id);
    ESSC_INVARIANT(binding.has_value());  // read before the write; bindings are never deleted
    ESSC_TRY(binding_serves(*binding, BindingUse::kUse));
    ESSC_ASSIGN_OR_RETURN(auto v, consume_verification(c, client.client_id, verification_id,
                                                       domain::VerificationPurpose::kUpgrade,
                                                       std::string(binding_id), now));
    if (v.verified_level < domain::kLevelFinancial)
      return Error(ErrorCode::kVerificationIncomplete);
    binding->level = domain::kLevelFinancial;
    binding->updated_at_ms = now;
    store::update_binding(c, *binding);
    notifier_.announce(c, view.person, EcardEvent::kLevelChanged, {*binding}, now);
    store::append_audit(c, now, client_audit_name(client.client_id), "ecard.upgrade",
                        binding->binding_id, "ok");
    view.binding = std::move(*binding);
    return view;
  });
}

Status EcardService::set_password(const domain::Client& client, const BindingView& view,
                                  std::string_view new_password,
                                  const std::function<Status(store::Connection&)>& precondition,
                                  std::string_view action) {
  ESSC_TRY(check_new_password(new_password, view.person, view.card));
  const std::string hash = hasher_.hash(new_password);
  const auto now = clock_.now_ms();
  auto done = db_.write<bool>([&](store::Connection& c) -> Result<bool> {
    ESSC_TRY(precondition(c));
    auto ecard = store::find_ecard(c, view.binding.ecard_id);
    ESSC_INVARIANT(ecard.has_value());  // the binding's e-card, never deleted
    ecard->password_hash = hash;
    ecard->password_failures = 0;
    ecard->password_locked_until_ms.reset();
    ecard->updated_at_ms = now;
    store::update_ecard_password_state(c, *ecard);
    // R-W3: effective in every channel at once, so no session opened with the old
    // password outlives it, in this channel or any other; each live channel is told.
    store::delete_ecard_sessions(c, ecard->ecard_id);
    notifier_.announce(c, view.person, EcardEvent::kPasswordChanged,
                       store::live_bindings(c, ecard->ecard_id), now);
    store::append_audit(c, now, client_audit_name(client.client_id), action,
                        view.binding.binding_id, "ok", view.person.person_id);
    return true;
  });
  if (!done) return std::move(done).error();
  return {};
}

Status EcardService::change_password(const domain::Client& client, std::string_view binding_id,
                                     std::string_view old_password, std::string_view new_password) {
  ESSC_ASSIGN_OR_RETURN(auto view, owned_binding(client, binding_id, BindingUse::kManage));
  if (!domain::is_six_digits(new_password)) {
    return Error::with_field(ErrorCode::kInvalidPasswordFormat, "new_password");
  }
  ESSC_TRY(check_password(view.binding.ecard_id, old_password, client));
  return set_password(
      client, view, new_password, [](store::Connection&) -> Status { return {}; },
      "ecard.password_change");
}

Status EcardService::reset_password(const domain::Client& client, std::string_view binding_id,
                                    std::string_view verification_id,
                                    std::string_view new_password) {
  ESSC_ASSIGN_OR_RETURN(auto view, owned_binding(client, binding_id, BindingUse::kManage));
  if (!domain::is_six_digits(new_password)) {
    return Error::with_field(ErrorCode::kInvalidPasswordFormat, "new_password");
  }
  const auto now = clock_.now_ms();
  const auto thresholds = risk_thresholds(policies_, view.person.region_code);
  RiskGate risk(db_, notifier_);
  return risk.settle(set_password(
      client, view, new_password,
      [&](store::Connection& c) -> Status {
        auto v = consume_verification(c, client.client_id, verification_id,
                                      domain::VerificationPurpose::kResetPassword,
                                      std::string(binding_id), now);
        if (!v) return std::move(v).error();
        ESSC_TRY(risk.check(
            c,
            RiskQuestion::on_account(view.person.person_id, view.binding.ecard_id, client.client_id,
                                     domain::kActionPasswordReset, now),
            thresholds));
        store::insert_risk_signal(c, view.person.person_id, kSignalPasswordReset, now);  // R-K2
        return {};
      },
      "ecard.password_reset"));
}

Result<BindingView> EcardService::report_loss(const domain::Client& client,
                                              std::string_view binding_id,
                                              std::string_view password) {
  ESSC_ASSIGN_OR_RETURN(auto view, owned_binding(client, binding_id, BindingUse::kManage));
  ESSC_TRY(check_password(view.binding.ecard_id, password, client));
  ESSC_TRY(registry_.transition(Actor::of_client(client), view.card.card_no,
                                domain::CardAction::kReportLoss, nullptr));
  return owned_binding(client, binding_id, BindingUse::kShow);
}

Result<BindingView> EcardService::cancel_loss(const domain::Client& client,
                                              std::string_view binding_id,
                                              std::string_view verification_id) {
  ESSC_ASSIGN_OR_RETURN(auto view, owned_binding(client, binding_id, BindingUse::kManage));
  const auto now = clock_.now_ms();
  ESSC_TRY(registry_.transition(
      Actor::of_client(client), view.card.card_no, domain::CardAction::kCancelLoss,
      [&](store::Connection& c, domain::Card&) -> Status {
        auto v = consume_verification(c, client.client_id, verification_id,
                                      domain::VerificationPurpose::kCancelLoss,
                                      std::string(binding_id), now);
        if (!v) return std::move(v).error();
        return {};
      }));
  return owned_binding(client, binding_id, BindingUse::kShow);
}

Result<std::vector<domain::Notification>> EcardService::notifications(const domain::Client& client,
                                                                      std::string_view binding_id,
                                                                      std::int64_t before_id,
                                                                      std::int64_t limit) {
  ESSC_ASSIGN_OR_RETURN(auto view, owned_binding(client, binding_id, BindingUse::kRead));
  auto notes = db_.read([&](store::Connection& c) {
    return store::list_notifications(c, view.person.person_id, before_id, limit);
  });
  // R-E2, R-E9: the inbox is the person's, shared by every channel; another channel's
  // binding id would let this one correlate the person across channels, so that channel
  // is named by its display name only.
  for (auto& note : notes) {
    if (note.channel_id != client.client_id) note.binding_id.reset();
  }
  return notes;
}

}  // namespace essc::services
