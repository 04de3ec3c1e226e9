// The physical card's state machine (R-C1) and the e-card binding status that follows
// from it (R-E1, R-L1…R-L4). One explicit table; every pair it does not list is
// INVALID_STATE_TRANSITION.
#pragma once

#include <optional>
#include <string_view>

#include "common/result.hpp"

namespace essc::domain {

enum class CardStatus { kPendingPickup, kInactive, kActive, kLost, kLocked, kCancelled, kReplaced };
enum class CardAction { kCollect, kActivate, kReportLoss, kCancelLoss, kLock, kUnlock, kReplace, kCancel };
enum class BindingStatus { kUsable, kSuspended, kUnlinked };

std::string_view to_string(CardStatus status);
std::optional<CardStatus> parse_card_status(std::string_view text);
std::string_view to_string(CardAction action);  // as in the API path: "report-loss", …
std::optional<CardAction> parse_card_action(std::string_view text);
std::string_view to_string(BindingStatus status);
std::optional<BindingStatus> parse_binding_status(std::string_view text);

// cancelled and replaced: no action leaves them.
bool is_terminal(CardStatus status);

// The state after `action`; for kReplace, the old card's (the new card starts at
// pending_pickup).
Result<CardStatus> next_status(CardStatus from, CardAction action);

// What every binding of the card's e-card is while the card is in `status`. A card not
// yet collected or activated cannot carry a usable binding, so those are suspended;
// issuance refuses them before a binding exists (R-E5).
BindingStatus binding_status_for(CardStatus status);

// R-E5, R-E1: why an e-card cannot be issued or used on a card in `status`, or nullopt
// for an active card.
std::optional<ErrorCode> ecard_refusal(CardStatus status);

}  // namespace essc::domain
