// What a change to an e-card tells, recorded inside the transaction of the change
// (R-L6): one inbox message and (when a phone is known) one SMS for the cardholder, and
// one signed webhook per affected channel that has a webhook URL. The outbox worker
// delivers the SMS and webhooks after the commit, so a channel that is down never slows
// or fails the change itself.
#pragma once

#include <string_view>
#include <vector>

#include "crypto/pii_vault.hpp"
#include "domain/card.hpp"
#include "domain/ecard.hpp"
#include "domain/notification.hpp"
#include "domain/person.hpp"
#include "domain/settlement.hpp"
#include "store/client_repository.hpp"
#include "store/record_repository.hpp"
#include "store/sql.hpp"

namespace essc::services {

enum class EcardEvent {
  kSuspended,        // ecard.suspended
  kRestored,         // ecard.restored
  kUnlinked,         // ecard.unlinked: by a channel, at the cardholder's request
  kCardReplaced,     // ecard.unlinked: the card was replaced (R-L3)
  kCardCancelled,    // ecard.unlinked: the card was cancelled (R-L4)
  kPasswordChanged,  // ecard.password_changed
  kLevelChanged,     // ecard.level_changed
  kIssued,           // inbox only: a channel issued the e-card
  kStepUpRequired,   // ecard.step_up_required: risk control asks for a fresh check (R-K1)
  kRiskDenied,       // inbox only: risk control refused an action (R-K1)
};

std::string_view webhook_type(EcardEvent event);

// One inbox message and nothing else (no SMS, no webhook), stamped `now_ms`.
// REQUIRES: inside a write transaction.
void tell(store::Connection& c, domain::Notification note, std::int64_t now_ms);

// What an e-card's change tells, and to whom: the SMS's number is sealed in the outbox,
// and each channel's webhook URL comes from the client cache.
class Notifier {
 public:
  Notifier(const crypto::PiiVault& vault, const store::ClientCache& clients)
      : vault_(vault), clients_(clients) {}

  // With `risk_id`, the message and each webhook name the risk decision they are about.
  // REQUIRES: inside a write transaction.
  void announce(store::Connection& c, const domain::Person& person, EcardEvent event,
                const std::vector<domain::Binding>& affected, std::int64_t now_ms,
                std::string_view risk_id = {}) const;
  // The same for a person known by id, read in the transaction; nothing when none is.
  void announce(store::Connection& c, std::int64_t person_id, EcardEvent event,
                const std::vector<domain::Binding>& affected, std::int64_t now_ms,
                std::string_view risk_id = {}) const;

  // R-E1, R-L1…R-L4: moves every live binding of the card's e-card to the status the
  // card's new state implies and announces the change. REQUIRES: inside the write
  // transaction that changed the card.
  void sync_bindings_with_card(store::Connection& c, const domain::Card& card,
                               std::int64_t now_ms) const;

 private:
  const crypto::PiiVault& vault_;
  const store::ClientCache& clients_;
};

// R-U7: a settlement or its refund enters the inbox of the person it was for, with its
// figures in `detail_json`; for a family member's code (R-F3, R-F4) the holder who showed
// it hears of it too, naming the member.
struct SettlementNotice {
  const domain::Settlement& settlement;
  std::string_view institution_name;
  const domain::Person& paid_for;
  std::int64_t holder_person_id = 0;  // the person whose binding showed the code
  bool refund = false;
};
// REQUIRES: inside the write transaction that records the settlement or its refund.
void announce_settlement(store::Connection& c, const SettlementNotice& notice, std::int64_t now_ms);
// REQUIRES: inside the write transaction that records the contribution.
void announce_contribution(store::Connection& c, const store::ContributionRecord& contribution);

}  // namespace essc::services
