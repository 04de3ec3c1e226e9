#include "services/registry.hpp"

#include <algorithm>
#include <tuple>

#include "common/masking.hpp"
#include "crypto/random.hpp"
#include "domain/bank_account.hpp"
#include "domain/bank_code.hpp"
#include "domain/card_no.hpp"
#include "domain/id_number.hpp"
#include "domain/operator.hpp"
#include "domain/person_name.hpp"
#include "domain/phone.hpp"
#include "domain/pin.hpp"
#include "domain/region_code.hpp"
#include "services/risk_control.hpp"
#include "store/audit_log.hpp"
#include "store/card_repository.hpp"
#include "store/ecard_repository.hpp"
#include "store/person_repository.hpp"
#include "store/record_repository.hpp"
#include "store/risk_event_repository.hpp"

namespace essc::services {
namespace {

constexpr char kReplacedBy[] = "SELECT card_no FROM cards WHERE replaces_card_no = ?";

// Card numbers are drawn at random; a clash with an existing number is retried. With
// 26 × 10^8 numbers a handful of tries is enough until the space is nearly full.
constexpr int kCardNumberTriesMax = 32;

Result<std::string> fresh_card_no(store::Connection& c) {
  for (int attempt = 0; attempt < kCardNumberTriesMax; ++attempt) {
    auto card_no = domain::CardNo::generate(crypto::random_uniform).str();
    if (!store::card_exists(c, card_no)) return card_no;
  }
  return Error(ErrorCode::kUnavailable, "no free card number found");
}

}  // namespace

Status require_own_bank_if_teller(const Actor& actor, std::string_view bank_code) {
  if (actor.operator_record && actor.operator_record->role == domain::OperatorRole::kBankTeller &&
      actor.operator_record->bank_code != bank_code) {
    return Error(ErrorCode::kForbidden, "teller of another bank");
  }
  return {};
}

Result<domain::Person> RegistryService::add_person(const Actor& actor, const NewPerson& request) {
  auto name = domain::parse_person_name(request.name);
  if (!name) return std::move(name).error();
  auto id = domain::IdNumber::parse(request.id_number);
  if (!id) return std::move(id).error();
  auto region = domain::parse_region_code(request.region_code);
  if (!region) return std::move(region).error();
  std::optional<std::string> phone;
  if (request.phone) {
    auto parsed = domain::Phone::parse(*request.phone);
    if (!parsed) return std::move(parsed).error();
    phone = parsed->str();
  }
  const auto now = clock_.now_ms();
  domain::Person person{
      0, id->str(), *name, *region, phone, request.photo_police, request.photo_cardholder, now};
  return db_.write<domain::Person>([&](store::Connection& c) -> Result<domain::Person> {
    if (store::find_person_by_id_number(c, vault_, person.id_number)) {
      return Error::with_field(ErrorCode::kConflict, "id_number");
    }
    store::insert_person(c, vault_, person);
    store::append_audit(c, now, actor.audit_name, "person.add", mask_id_number(person.id_number),
                        "ok");
    return person;
  });
}

Result<PersonView> RegistryService::person(const Actor& actor, std::string_view id_number) {
  auto id = domain::IdNumber::parse(id_number);
  if (!id) return std::move(id).error();
  const bool teller =
      actor.operator_record && actor.operator_record->role == domain::OperatorRole::kBankTeller;
  return db_.read([&](store::Connection& c) -> Result<PersonView> {
    auto person = store::find_person_by_id_number(c, vault_, id->str());
    if (!person) return Error(ErrorCode::kNotFound);
    auto card = store::find_current_card(c, vault_, person->person_id);
    if (teller && (!card || !require_own_bank_if_teller(actor, card->bank_code).ok())) {
      return Error(ErrorCode::kNotFound, "no card of the teller's bank");
    }
    return PersonView{std::move(*person), std::move(card), teller};
  });
}

std::vector<ChannelBinding> channel_bindings(store::Connection& c,
                                             const store::ClientCache& clients,
                                             std::int64_t ecard_id, std::int64_t person_id) {
  std::vector<ChannelBinding> out;
  for (const auto& binding : store::live_bindings(c, ecard_id)) {
    const auto channel = clients.find(c, binding.client_id);
    out.push_back({binding.client_id, channel ? channel->name : binding.client_id,
                   channel ? channel->channel_type : std::nullopt, binding.level, binding.status,
                   binding.created_at_ms, store::last_session_at(c, person_id, binding.client_id)});
  }
  std::sort(out.begin(), out.end(), [](const ChannelBinding& a, const ChannelBinding& b) {
    return std::tie(a.since_ms, a.channel_id) < std::tie(b.since_ms, b.channel_id);
  });
  return out;
}

Result<CardView> RegistryService::view(store::Connection& c, domain::Card card) const {
  auto holder = store::find_person(c, vault_, card.person_id);
  if (!holder) return Error(ErrorCode::kInternal, "card without holder");
  auto replaced_by =
      c.prepare(kReplacedBy).bind_all(card.card_no).first([](const store::Statement& s) {
        return s.text(0);
      });
  std::optional<EcardSummary> summary;
  if (const auto ecard = store::find_ecard_by_card(c, card.card_no)) {
    summary = EcardSummary{};
    summary->channels = channel_bindings(c, clients_, ecard->ecard_id, card.person_id);
    for (const auto& channel : summary->channels) {
      summary->level = std::max(summary->level, channel.level);
      ++summary->bindings;
    }
  }
  return CardView{std::move(card), std::move(*holder), std::move(replaced_by), summary};
}

Result<CardView> RegistryService::issue_card(const Actor& actor, std::string_view id_number,
                                             std::string_view bank_code) {
  auto id = domain::IdNumber::parse(id_number);
  if (!id) return std::move(id).error();
  auto bank = domain::parse_bank_code(bank_code);
  if (!bank) return std::move(bank).error();
  const auto now = clock_.now_ms();
  return db_.write<CardView>([&](store::Connection& c) -> Result<CardView> {
    auto person = store::find_person_by_id_number(c, vault_, id->str());
    if (!person) return Error::with_field(ErrorCode::kNotFound, "id_number");
    if (store::find_live_card(c, vault_, person->person_id)) {
      return Error(ErrorCode::kConflict, "the person already has a live card");
    }
    auto card_no = fresh_card_no(c);
    if (!card_no) return std::move(card_no).error();
    domain::Card card;
    card.card_no = *card_no;
    card.person_id = person->person_id;
    card.status = domain::CardStatus::kPendingPickup;
    card.region_code = person->region_code;
    card.bank_code = *bank;
    card.created_at_ms = card.updated_at_ms = now;
    store::insert_card(c, vault_, card);
    store::append_audit(c, now, actor.audit_name, "card.issue", card.card_no, "ok");
    return CardView{std::move(card), std::move(*person), std::nullopt, std::nullopt};
  });
}

Result<CardView> RegistryService::card(const Actor& actor, std::string_view card_no) {
  auto number = domain::CardNo::parse(card_no);
  if (!number) return std::move(number).error();
  return db_.read([&](store::Connection& c) -> Result<CardView> {
    auto card = store::find_card(c, vault_, number->str());
    // R-C3: a teller sees the cards of their own bank only; another bank's card is as
    // unknown as one that does not exist, as GET /v1/persons answers.
    if (!card || !require_own_bank_if_teller(actor, card->bank_code).ok())
      return Error(ErrorCode::kNotFound);
    return view(c, std::move(*card));
  });
}

Result<CardView> RegistryService::transition(
    const Actor& actor, std::string_view card_no, domain::CardAction action,
    const std::function<Status(store::Connection&, domain::Card&)>& extra) {
  auto number = domain::CardNo::parse(card_no);
  if (!number) return std::move(number).error();
  const auto now = clock_.now_ms();
  const std::string audit_action = "card." + std::string(domain::to_string(action));
  auto result = db_.write<CardView>([&](store::Connection& c) -> Result<CardView> {
    auto card = store::find_card(c, vault_, number->str());
    if (!card) return Error(ErrorCode::kNotFound);
    ESSC_TRY(require_own_bank_if_teller(actor, card->bank_code));
    auto next = domain::next_status(card->status, action);
    if (!next) return std::move(next).error();
    card->status = *next;
    card->updated_at_ms = now;
    if (extra) ESSC_TRY(extra(c, *card));
    store::update_card(c, vault_, *card);
    notifier_.sync_bindings_with_card(c, *card, now);
    store::append_audit(c, now, actor.audit_name, audit_action, card->card_no, "ok",
                        card->person_id);
    return view(c, std::move(*card));
  });
  if (!result && result.error().code == ErrorCode::kInvalidStateTransition) {
    // A refused transition changes nothing, but the attempt is still worth a trace.
    (void)db_.write<bool>([&](store::Connection& c) -> Result<bool> {
      store::append_audit(c, now, actor.audit_name, audit_action, number->str(),
                          "INVALID_STATE_TRANSITION");
      return true;
    });
  }
  return result;
}

Result<CardView> RegistryService::apply(const Actor& actor, std::string_view card_no,
                                        domain::CardAction action) {
  ESSC_INVARIANT(action != domain::CardAction::kActivate && action != domain::CardAction::kReplace);
  return transition(actor, card_no, action, nullptr);
}

Result<CardView> RegistryService::activate(const Actor& actor, std::string_view card_no,
                                           std::string_view hr_pin) {
  auto pin = domain::parse_pin(hr_pin, "hr_pin");
  if (!pin) return std::move(pin).error();
  const std::string pin_hash = hasher_.hash(*pin);
  return transition(actor, card_no, domain::CardAction::kActivate,
                    [&](store::Connection&, domain::Card& card) -> Status {
                      card.hr_pin_hash = pin_hash;
                      return {};
                    });
}

Result<CardView> RegistryService::replace(const Actor& actor, std::string_view card_no) {
  const auto now = clock_.now_ms();
  std::optional<std::string> new_card_no;
  auto old =
      transition(actor, card_no, domain::CardAction::kReplace,
                 [&](store::Connection& c, domain::Card& card) -> Status {
                   // The old card leaves the live set first, so the new one may enter it.
                   store::update_card(c, vault_, card);
                   auto number = fresh_card_no(c);
                   if (!number) return std::move(number).error();
                   domain::Card fresh;
                   fresh.card_no = *number;
                   fresh.person_id = card.person_id;
                   fresh.status = domain::CardStatus::kPendingPickup;
                   fresh.region_code = card.region_code;
                   fresh.bank_code = card.bank_code;
                   fresh.replaces_card_no = card.card_no;
                   fresh.created_at_ms = fresh.updated_at_ms = now;
                   store::insert_card(c, vault_, fresh);
                   store::append_audit(c, now, actor.audit_name, "card.issue", fresh.card_no, "ok");
                   new_card_no = fresh.card_no;
                   return {};
                 });
  if (!old) return std::move(old).error();
  return card(actor, *new_card_no);
}

Result<CardView> RegistryService::activate_financial(const Actor& actor, std::string_view card_no,
                                                     const FinancialActivation& request) {
  auto number = domain::CardNo::parse(card_no);
  if (!number) return std::move(number).error();
  auto account = domain::BankAccountNo::parse(request.bank_account_no);
  if (!account) return std::move(account).error();
  auto phone = domain::Phone::parse(request.reserved_phone, "reserved_phone");
  if (!phone) return std::move(phone).error();
  auto pin = domain::parse_pin(request.financial_pin, "financial_pin");
  if (!pin) return std::move(pin).error();
  const std::string pin_hash = hasher_.hash(*pin);
  const auto now = clock_.now_ms();
  return db_.write<CardView>([&](store::Connection& c) -> Result<CardView> {
    auto card = store::find_card(c, vault_, number->str());
    if (!card) return Error(ErrorCode::kNotFound);
    ESSC_TRY(require_own_bank_if_teller(actor, card->bank_code));
    if (card->status != domain::CardStatus::kActive)
      return Error(ErrorCode::kInvalidStateTransition);
    if (card->financial_active)
      return Error(ErrorCode::kConflict, "financial function already active");
    card->financial_active = true;
    card->bank_account_no = account->str();
    card->reserved_phone = phone->str();
    card->financial_pin_hash = pin_hash;
    card->updated_at_ms = now;
    store::update_card(c, vault_, *card);
    store::append_audit(c, now, actor.audit_name, "card.financial_activate", card->card_no, "ok");
    return view(c, std::move(*card));
  });
}

Result<CardView> RegistryService::change_reserved_phone(const Actor& actor,
                                                        std::string_view card_no,
                                                        std::string_view reserved_phone) {
  auto number = domain::CardNo::parse(card_no);
  if (!number) return std::move(number).error();
  auto phone = domain::Phone::parse(reserved_phone, "reserved_phone");
  if (!phone) return std::move(phone).error();
  const auto now = clock_.now_ms();
  return db_.write<CardView>([&](store::Connection& c) -> Result<CardView> {
    auto card = store::find_card(c, vault_, number->str());
    if (!card) return Error(ErrorCode::kNotFound);
    ESSC_TRY(require_own_bank_if_teller(actor, card->bank_code));
    if (!card->financial_active) return Error(ErrorCode::kFinancialNotActivated);
    card->reserved_phone = phone->str();
    card->updated_at_ms = now;
    store::update_card(c, vault_, *card);
    store::append_audit(c, now, actor.audit_name, "card.reserved_phone_change", card->card_no,
                        "ok");
    store::insert_risk_signal(c, card->person_id, kSignalReservedPhoneChange, now);  // R-K2
    return view(c, std::move(*card));
  });
}

}  // namespace essc::services
