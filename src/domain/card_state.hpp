// The physical card's state machine (R-C1) and the status of the e-card bindings that
// follows from it (R-E1, R-L1…R-L4).
//
// Invariants: next_status is one explicit table copied from SPEC.md R-C1; every
// (state, action) pair it does not list is INVALID_STATE_TRANSITION; nothing leaves a
// terminal state (cancelled, replaced). The names are the API's and the store's
// spelling and must not change.
#pragma once

#include <optional>
#include <string_view>

#include "common/result.hpp"

namespace essc::domain {

enum class CardStatus { kPendingPickup, kInactive, kActive, kLost, kLocked, kCancelled, kReplaced };
enum class CardAction {
  kCollect,
  kActivate,
  kReportLoss,
  kCancelLoss,
  kLock,
  kUnlock,
  kReplace,
  kCancel
};
enum class BindingStatus { kUsable, kSuspended, kUnlinked };

inline constexpr int kCardStatusCount = static_cast<int>(CardStatus::kReplaced) + 1;
inline constexpr int kCardActionCount = static_cast<int>(CardAction::kCancel) + 1;
inline constexpr int kBindingStatusCount = static_cast<int>(BindingStatus::kUnlinked) + 1;

// "pending_pickup", "inactive", "active", "lost", "locked", "cancelled", "replaced".
std::string_view to_string(CardStatus status);
std::optional<CardStatus> parse_card_status(std::string_view text);
// As in the API path: "collect", "activate", "report-loss", "cancel-loss", "lock",
// "unlock", "replace", "cancel".
std::string_view to_string(CardAction action);
std::optional<CardAction> parse_card_action(std::string_view text);
// "usable", "suspended", "unlinked".
std::string_view to_string(BindingStatus status);
std::optional<BindingStatus> parse_binding_status(std::string_view text);

// cancelled and replaced: no action leaves them.
bool is_terminal(CardStatus status);

// The card's state after `action` (R-C1), or INVALID_STATE_TRANSITION. For kReplace it
// is the old card's state, kReplaced; the new card is a new card at pending_pickup.
Result<CardStatus> next_status(CardStatus from, CardAction action);

// What every binding of the card's e-card is while the card is in `status` (R-E1: the
// e-card follows the card): active → usable; lost, locked → suspended (R-L1, R-L4);
// cancelled, replaced → unlinked (R-L3, R-L4); pending_pickup, inactive → suspended
// (see the .cpp for why).
BindingStatus binding_status_for(CardStatus status);

// R-E5, R-E1: why an e-card cannot be issued or used on a card in `status`, or nullopt
// for an active card.
std::optional<ErrorCode> ecard_refusal(CardStatus status);

}  // namespace essc::domain
