#include "services/ecards.hpp"

#include "common/clock.hpp"
#include "common/limits.hpp"
#include "common/masking.hpp"
#include "crypto/random.hpp"
#include "domain/id_number.hpp"
#include "domain/password_rules.hpp"
#include "domain/pin.hpp"
#include "services/notifier.hpp"
#include "services/registry.hpp"
#include "services/verifications.hpp"
#include "store/audit_log.hpp"
#include "store/ecard_repository.hpp"
#include "store/record_repository.hpp"

namespace essc::services {
namespace {

std::string client_actor(const store::ClientRecord& client) { return "client:" + client.client_id; }

Error weak(std::string_view reason) {
  Error e(ErrorCode::kWeakPassword);
  e.extras.reason = std::string(reason);
  return e;
}

}  // namespace

Status EcardService::check_new_password(std::string_view password, const store::PersonRecord& person,
                                        const store::CardRecord& card) const {
  if (!domain::is_six_digits(password)) return Error::with_field(ErrorCode::kInvalidPasswordFormat, "password");
  const auto id = domain::IdNumber::parse(person.id_number);
  if (!id) return Error(ErrorCode::kInternal, "stored ID number no longer parses");
  if (auto reason = domain::weak_password_reason(password, *id)) return weak(*reason);
  for (const auto& pin_hash : {card.hr_pin_hash, card.financial_pin_hash}) {
    if (pin_hash && ctx_.hasher.verify(*pin_hash, password)) return weak(domain::kSameAsCardPin);
  }
  return {};
}

Result<store::EcardRecord> EcardService::check_password(std::int64_t ecard_id, std::string_view password,
                                                        const store::ClientRecord& client) {
  if (!domain::is_six_digits(password)) return Error::with_field(ErrorCode::kInvalidPasswordFormat, "password");
  const auto now = ctx_.clock.now_ms();
  auto ecard = ctx_.db.read([&](store::Connection& c) { return store::find_ecard(c, ecard_id); });
  if (!ecard) return Error(ErrorCode::kNotFound);
  const auto locked = [](std::int64_t until_ms) {
    Error e(ErrorCode::kPasswordLocked);
    e.extras.unlock_at = format_rfc3339(until_ms);
    e.extras.tries_left = 0;
    return e;
  };
  if (ecard->password_locked_until_ms && now < *ecard->password_locked_until_ms) {
    return locked(*ecard->password_locked_until_ms);
  }
  const bool right = ctx_.hasher.verify(ecard->password_hash, password);
  if (right && ecard->password_failures == 0 && !ecard->password_locked_until_ms) return std::move(*ecard);
  return flatten(ctx_.db.write<Result<store::EcardRecord>>(
      [&](store::Connection& c) -> Result<Result<store::EcardRecord>> {
        auto current = store::find_ecard(c, ecard_id);
        if (!current) return Error(ErrorCode::kNotFound);
        current->updated_at_ms = now;
        if (right) {
          current->password_failures = 0;
          current->password_locked_until_ms.reset();
          store::update_ecard_password_state(c, *current);
          return Result<store::EcardRecord>(std::move(*current));
        }
        ++current->password_failures;
        Error e(ErrorCode::kPasswordIncorrect);
        if (current->password_failures >= limits::kPasswordFailuresMax) {
          current->password_failures = 0;
          current->password_locked_until_ms = now + limits::kPasswordLockMs;
          e = locked(*current->password_locked_until_ms);
        } else {
          e.extras.tries_left = limits::kPasswordFailuresMax - current->password_failures;
        }
        store::update_ecard_password_state(c, *current);
        const std::string outcome(error_code_name(e.code));
        store::append_audit(c, now, client_actor(client), "ecard.password_check", current->card_no, outcome);
        store::insert_auth_event(c, current->person_id, client.client_id, "password", outcome, now);
        return Result<store::EcardRecord>(e);
      }));
}

Result<BindingView> EcardService::owned_binding(const store::ClientRecord& client, std::string_view binding_id) {
  return ctx_.db.read([&](store::Connection& c) -> Result<BindingView> {
    auto binding = store::find_binding(c, binding_id);
    if (!binding || binding->client_id != client.client_id) return Error(ErrorCode::kNotFound);
    const auto ecard = store::find_ecard(c, binding->ecard_id);
    auto card = ctx_.cards.find(c, ecard->card_no);
    auto person = ctx_.persons.find(c, card->person_id);
    return BindingView{std::move(*binding), std::move(*card), std::move(*person)};
  });
}

Result<BindingView> EcardService::issue(const store::ClientRecord& client, std::string_view verification_id,
                                        std::string_view password) {
  if (!domain::is_six_digits(password)) return Error::with_field(ErrorCode::kInvalidPasswordFormat, "password");
  const auto now = ctx_.clock.now_ms();
  struct Prepared {
    store::PersonRecord person;
    store::CardRecord card;
    std::optional<store::EcardRecord> ecard;
  };
  auto prepared = ctx_.db.read([&](store::Connection& c) -> Result<Prepared> {
    ESSC_ASSIGN_OR_RETURN(auto v, open_verification(c, client.client_id, verification_id, now));
    if (v.purpose != "issue") return Error::invalid_field("verification_id");
    if (!v.verified_level) return Error(ErrorCode::kVerificationIncomplete);
    auto card = ctx_.cards.find(c, v.card_no);
    auto person = ctx_.persons.find(c, v.person_id);
    return Prepared{std::move(*person), std::move(*card), store::find_ecard_by_card(c, v.card_no)};
  });
  if (!prepared) return std::move(prepared).error();

  // R-E7: one password for all channels. The first issuance sets it; later ones prove it.
  std::optional<std::string> new_hash;
  if (prepared->ecard) {
    ESSC_TRY(check_password(prepared->ecard->ecard_id, password, client));
  } else {
    ESSC_TRY(check_new_password(password, prepared->person, prepared->card));
    new_hash = ctx_.hasher.hash(password);
  }

  const std::string binding_id = "bd_" + crypto::random_token(18);
  return ctx_.db.write<BindingView>([&](store::Connection& c) -> Result<BindingView> {
    ESSC_ASSIGN_OR_RETURN(auto v, consume_verification(c, client.client_id, verification_id, "issue",
                                                       std::nullopt, now));
    auto card = ctx_.cards.find(c, v.card_no);
    if (auto refusal = domain::ecard_refusal(card->status)) return Error(*refusal);
    auto ecard = store::find_ecard_by_card(c, card->card_no);
    if (!ecard) {
      // Another channel issued first while this password was being hashed: it is not
      // the password that channel set, so this request must start over.
      if (!new_hash) return Error(ErrorCode::kConflict, "e-card vanished");
      ecard = store::EcardRecord{0, card->card_no, card->person_id, *new_hash, 0, std::nullopt, now, now};
      store::insert_ecard(c, *ecard);
    } else if (new_hash) {
      return Error(ErrorCode::kConflict, "e-card issued concurrently in another channel");
    }
    if (store::find_live_binding(c, ecard->ecard_id, client.client_id)) return Error(ErrorCode::kEcardExists);
    store::BindingRecord binding{binding_id, ecard->ecard_id, client.client_id, *v.verified_level,
                                 domain::BindingStatus::kUsable, now, now};
    store::insert_binding(c, binding);
    auto person = ctx_.persons.find(c, card->person_id);
    announce(c, ctx_, *person, EcardEvent::kIssued, {binding}, now);
    store::append_audit(c, now, client_actor(client), "ecard.issue", binding_id,
                        "ok level " + std::to_string(binding.level));
    return BindingView{std::move(binding), std::move(*card), std::move(*person)};
  });
}

Result<BindingView> EcardService::get(const store::ClientRecord& client, std::string_view binding_id) {
  return owned_binding(client, binding_id);
}

Status EcardService::unlink(const store::ClientRecord& client, std::string_view binding_id,
                            std::string_view password) {
  ESSC_ASSIGN_OR_RETURN(auto view, owned_binding(client, binding_id));
  if (view.binding.status == domain::BindingStatus::kUnlinked) return Error(ErrorCode::kEcardUnlinked);
  ESSC_TRY(check_password(view.binding.ecard_id, password, client));
  const auto now = ctx_.clock.now_ms();
  auto done = ctx_.db.write<bool>([&](store::Connection& c) -> Result<bool> {
    auto binding = store::find_binding(c, binding_id);
    if (binding->status == domain::BindingStatus::kUnlinked) return Error(ErrorCode::kEcardUnlinked);
    binding->status = domain::BindingStatus::kUnlinked;
    binding->updated_at_ms = now;
    store::update_binding(c, *binding);
    announce(c, ctx_, view.person, EcardEvent::kUnlinked, {*binding}, now);
    store::append_audit(c, now, client_actor(client), "ecard.unlink", binding->binding_id, "ok");
    return true;
  });
  if (!done) return std::move(done).error();
  return {};
}

Result<BindingView> EcardService::upgrade(const store::ClientRecord& client, std::string_view binding_id,
                                          std::string_view verification_id) {
  ESSC_ASSIGN_OR_RETURN(auto view, owned_binding(client, binding_id));
  const auto now = ctx_.clock.now_ms();
  return ctx_.db.write<BindingView>([&](store::Connection& c) -> Result<BindingView> {
    auto binding = store::find_binding(c, binding_id);
    if (binding->status == domain::BindingStatus::kUnlinked) return Error(ErrorCode::kEcardUnlinked);
    if (binding->status == domain::BindingStatus::kSuspended) return Error(ErrorCode::kEcardSuspended);
    ESSC_ASSIGN_OR_RETURN(auto v, consume_verification(c, client.client_id, verification_id, "upgrade",
                                                       std::string(binding_id), now));
    if (v.verified_level < 2) return Error(ErrorCode::kVerificationIncomplete);
    binding->level = 2;
    binding->updated_at_ms = now;
    store::update_binding(c, *binding);
    announce(c, ctx_, view.person, EcardEvent::kLevelChanged, {*binding}, now);
    store::append_audit(c, now, client_actor(client), "ecard.upgrade", binding->binding_id, "ok");
    view.binding = std::move(*binding);
    return view;
  });
}

Status EcardService::set_password(const store::ClientRecord& client, const BindingView& view,
                                  std::string_view new_password,
                                  const std::function<Status(store::Connection&)>& precondition,
                                  std::string_view action) {
  ESSC_TRY(check_new_password(new_password, view.person, view.card));
  const std::string hash = ctx_.hasher.hash(new_password);
  const auto now = ctx_.clock.now_ms();
  auto done = ctx_.db.write<bool>([&](store::Connection& c) -> Result<bool> {
    ESSC_TRY(precondition(c));
    auto ecard = store::find_ecard(c, view.binding.ecard_id);
    ecard->password_hash = hash;
    ecard->password_failures = 0;
    ecard->password_locked_until_ms.reset();
    ecard->updated_at_ms = now;
    store::update_ecard_password_state(c, *ecard);
    // R-W3: effective in every channel at once; each live channel is told.
    announce(c, ctx_, view.person, EcardEvent::kPasswordChanged, store::live_bindings(c, ecard->ecard_id), now);
    store::append_audit(c, now, client_actor(client), action, view.binding.binding_id, "ok");
    return true;
  });
  if (!done) return std::move(done).error();
  return {};
}

Status EcardService::change_password(const store::ClientRecord& client, std::string_view binding_id,
                                     std::string_view old_password, std::string_view new_password) {
  ESSC_ASSIGN_OR_RETURN(auto view, owned_binding(client, binding_id));
  if (view.binding.status == domain::BindingStatus::kUnlinked) return Error(ErrorCode::kEcardUnlinked);
  if (!domain::is_six_digits(new_password)) {
    return Error::with_field(ErrorCode::kInvalidPasswordFormat, "new_password");
  }
  ESSC_TRY(check_password(view.binding.ecard_id, old_password, client));
  return set_password(client, view, new_password, [](store::Connection&) -> Status { return {}; },
                      "ecard.password_change");
}

Status EcardService::reset_password(const store::ClientRecord& client, std::string_view binding_id,
                                    std::string_view verification_id, std::string_view new_password) {
  ESSC_ASSIGN_OR_RETURN(auto view, owned_binding(client, binding_id));
  if (view.binding.status == domain::BindingStatus::kUnlinked) return Error(ErrorCode::kEcardUnlinked);
  if (!domain::is_six_digits(new_password)) {
    return Error::with_field(ErrorCode::kInvalidPasswordFormat, "new_password");
  }
  const auto now = ctx_.clock.now_ms();
  return set_password(
      client, view, new_password,
      [&](store::Connection& c) -> Status {
        auto v = consume_verification(c, client.client_id, verification_id, "reset_password",
                                      std::string(binding_id), now);
        if (!v) return std::move(v).error();
        return {};
      },
      "ecard.password_reset");
}

Result<BindingView> EcardService::report_loss(const store::ClientRecord& client, std::string_view binding_id,
                                              std::string_view password) {
  ESSC_ASSIGN_OR_RETURN(auto view, owned_binding(client, binding_id));
  if (view.binding.status == domain::BindingStatus::kUnlinked) return Error(ErrorCode::kEcardUnlinked);
  ESSC_TRY(check_password(view.binding.ecard_id, password, client));
  ESSC_TRY(registry_.transition(Actor::of_client(client), view.card.card_no, domain::CardAction::kReportLoss, nullptr));
  return owned_binding(client, binding_id);
}

Result<BindingView> EcardService::cancel_loss(const store::ClientRecord& client, std::string_view binding_id,
                                              std::string_view verification_id) {
  ESSC_ASSIGN_OR_RETURN(auto view, owned_binding(client, binding_id));
  if (view.binding.status == domain::BindingStatus::kUnlinked) return Error(ErrorCode::kEcardUnlinked);
  const auto now = ctx_.clock.now_ms();
  ESSC_TRY(registry_.transition(Actor::of_client(client), view.card.card_no, domain::CardAction::kCancelLoss,
                               [&](store::Connection& c, store::CardRecord&) -> Status {
                                 auto v = consume_verification(c, client.client_id, verification_id, "cancel_loss",
                                                               std::string(binding_id), now);
                                 if (!v) return std::move(v).error();
                                 return {};
                               }));
  return owned_binding(client, binding_id);
}

Result<std::vector<store::NotificationRecord>> EcardService::notifications(const store::ClientRecord& client,
                                                                           std::string_view binding_id,
                                                                           std::int64_t before_id,
                                                                           std::int64_t limit) {
  ESSC_ASSIGN_OR_RETURN(auto view, owned_binding(client, binding_id));
  return ctx_.db.read([&](store::Connection& c) {
    return store::list_notifications(c, view.person.person_id, before_id, limit);
  });
}

}  // namespace essc::services
