// The registry of persons and physical cards, as run by HR counters and issuing banks:
// registration (R-P1, R-P2), the card life cycle (R-C1), PINs (R-C2) and the financial
// function (R-C3). Every change is one transaction with its audit entry (R-S6).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "common/clock.hpp"
#include "crypto/password_hasher.hpp"
#include "crypto/pii_vault.hpp"
#include "domain/card.hpp"
#include "domain/card_state.hpp"
#include "domain/client.hpp"
#include "domain/person.hpp"
#include "services/context.hpp"
#include "services/notifier.hpp"
#include "store/client_repository.hpp"
#include "store/database.hpp"

namespace essc::services {

struct NewPerson {
  std::string name;
  std::string id_number;
  std::string region_code;
  std::optional<std::string> phone;
  bool photo_police = false;
  bool photo_cardholder = false;
};

struct PersonView {
  domain::Person person;
  std::optional<domain::Card> card;  // the live card, else the latest one
  bool masked = false;               // name and phone only masked (a bank teller's view)
};

// One channel's live binding, as a counter sees it: which app, at what level, usable or
// suspended. The binding id stays the channel's own handle and is not shown.
struct ChannelBinding {
  std::string channel_id;  // the channel's client id; never its binding id (R-E2, R-E9)
  std::string channel_name;
  std::optional<domain::ChannelType> channel_type;
  std::int64_t level = 1;
  domain::BindingStatus status = domain::BindingStatus::kUsable;
  std::int64_t since_ms = 0;
  std::optional<std::int64_t> last_used_ms;  // the last e-card session opened there
};

// Every live binding of the e-card, channel by channel (R-E9). REQUIRES: a transaction.
std::vector<ChannelBinding> channel_bindings(store::Connection& c,
                                             const store::ClientCache& clients,
                                             std::int64_t ecard_id, std::int64_t person_id);

struct EcardSummary {
  std::int64_t level = 0;     // the highest level among live bindings
  std::int64_t bindings = 0;  // live (not unlinked) bindings
  std::vector<ChannelBinding> channels;
};

struct CardView {
  domain::Card card;
  domain::Person holder;
  std::optional<std::string> replaced_by;
  std::optional<EcardSummary> ecard;
};

struct FinancialActivation {
  std::string bank_account_no;
  std::string reserved_phone;
  std::string financial_pin;
};

class RegistryService {
 public:
  RegistryService(const Clock& clock, store::Database& db, const crypto::PiiVault& vault,
                  const crypto::PasswordHasher& hasher, const store::ClientCache& clients,
                  const Notifier& notifier)
      : clock_(clock),
        db_(db),
        vault_(vault),
        hasher_(hasher),
        clients_(clients),
        notifier_(notifier) {}

  Result<domain::Person> add_person(const Actor& actor, const NewPerson& request);
  // A bank teller sees only persons whose card their bank issued (NOT_FOUND otherwise,
  // as for an unknown ID number), with name and phone masked: the counter tasks of a
  // bank (financial activation, reserved phone) need the card, not the person's data.
  Result<PersonView> person(const Actor& actor, std::string_view id_number);

  Result<CardView> issue_card(const Actor& actor, std::string_view id_number,
                              std::string_view bank_code);
  Result<CardView> card(const Actor& actor, std::string_view card_no);

  // collect, report-loss, cancel-loss, lock, unlock, cancel (R-C1).
  Result<CardView> apply(const Actor& actor, std::string_view card_no, domain::CardAction action);
  // Sets the HR/medical PIN; a bank teller may activate only cards of their own bank.
  Result<CardView> activate(const Actor& actor, std::string_view card_no, std::string_view hr_pin);
  // The old card becomes `replaced`; answers the new card, `pending_pickup` (R-L3).
  Result<CardView> replace(const Actor& actor, std::string_view card_no);

  // A teller of the card's own bank only (R-C3).
  Result<CardView> activate_financial(const Actor& actor, std::string_view card_no,
                                      const FinancialActivation& request);
  Result<CardView> change_reserved_phone(const Actor& actor, std::string_view card_no,
                                         std::string_view reserved_phone);

  // Applies `action` to the card in one transaction with `extra` (may be empty), which
  // runs inside it after the state check and may refuse the whole change; the card's
  // e-card bindings follow (R-L1…R-L4).
  Result<CardView> transition(
      const Actor& actor, std::string_view card_no, domain::CardAction action,
      const std::function<Status(store::Connection&, domain::Card&)>& extra);

 private:
  Result<CardView> view(store::Connection& c, domain::Card card) const;

  const Clock& clock_;
  store::Database& db_;
  const crypto::PiiVault& vault_;
  const crypto::PasswordHasher& hasher_;
  const store::ClientCache& clients_;
  const Notifier& notifier_;
};

// FORBIDDEN unless the actor is not a bank teller or is a teller of `bank_code`.
Status require_own_bank_if_teller(const Actor& actor, std::string_view bank_code);

}  // namespace essc::services
