// What a change to an e-card tells, recorded inside the transaction of the change
// (R-L6): one inbox message and (when a phone is known) one SMS for the cardholder, and
// one signed webhook per affected channel that has a webhook URL. The outbox worker
// delivers the SMS and webhooks after the commit, so a channel that is down never slows
// or fails the change itself.
#pragma once

#include <string_view>
#include <vector>

#include "domain/card.hpp"
#include "domain/ecard.hpp"
#include "domain/person.hpp"
#include "services/context.hpp"

namespace essc::services {

enum class EcardEvent {
  kSuspended,        // ecard.suspended
  kRestored,         // ecard.restored
  kUnlinked,         // ecard.unlinked
  kPasswordChanged,  // ecard.password_changed
  kLevelChanged,     // ecard.level_changed
  kIssued,           // inbox only: a channel issued the e-card
};

std::string_view webhook_type(EcardEvent event);

// REQUIRES: inside a write transaction.
void announce(store::Connection& c, Context& ctx, const domain::Person& person, EcardEvent event,
              const std::vector<domain::Binding>& affected, std::int64_t now_ms);

// R-E1, R-L1…R-L4: moves every live binding of the card's e-card to the status the
// card's new state implies and announces the change. REQUIRES: inside the write
// transaction that changed the card.
void sync_bindings_with_card(store::Connection& c, Context& ctx, const domain::Card& card,
                             std::int64_t now_ms);

}  // namespace essc::services
