#include "domain/card_state.hpp"

#include <array>

namespace essc::domain {
namespace {

using S = CardStatus;
using A = CardAction;

struct Transition {
  CardStatus from;
  CardAction action;
  CardStatus to;
};

// SPEC.md R-C1, row by row; the only source of allowed transitions.
constexpr std::array kTransitions{
    Transition{S::kPendingPickup, A::kCollect, S::kInactive},
    Transition{S::kPendingPickup, A::kCancel, S::kCancelled},
    Transition{S::kInactive, A::kActivate, S::kActive},
    Transition{S::kInactive, A::kReplace, S::kReplaced},
    Transition{S::kInactive, A::kCancel, S::kCancelled},
    Transition{S::kActive, A::kReportLoss, S::kLost},
    Transition{S::kActive, A::kLock, S::kLocked},
    Transition{S::kActive, A::kReplace, S::kReplaced},
    Transition{S::kActive, A::kCancel, S::kCancelled},
    Transition{S::kLost, A::kCancelLoss, S::kActive},
    Transition{S::kLost, A::kReplace, S::kReplaced},
    Transition{S::kLost, A::kCancel, S::kCancelled},
    Transition{S::kLocked, A::kReportLoss, S::kLost},
    Transition{S::kLocked, A::kUnlock, S::kActive},
    Transition{S::kLocked, A::kReplace, S::kReplaced},
    Transition{S::kLocked, A::kCancel, S::kCancelled},
};

// Indexed by the enums, so their order is fixed.
constexpr std::array<std::string_view, kCardStatusCount> kStatusNames{
    "pending_pickup", "inactive", "active", "lost", "locked", "cancelled", "replaced"};
constexpr std::array<std::string_view, kCardActionCount> kActionNames{
    "collect", "activate", "report-loss", "cancel-loss", "lock", "unlock", "replace", "cancel"};
constexpr std::array<std::string_view, kBindingStatusCount> kBindingNames{"usable", "suspended",
                                                                          "unlinked"};

template <class Enum, std::size_t N>
std::optional<Enum> parse_name(const std::array<std::string_view, N>& names,
                               std::string_view text) {
  for (std::size_t i = 0; i < N; ++i) {
    if (names[i] == text) return static_cast<Enum>(i);
  }
  return std::nullopt;
}

}  // namespace

std::string_view to_string(CardStatus s) { return kStatusNames[static_cast<std::size_t>(s)]; }
std::optional<CardStatus> parse_card_status(std::string_view t) {
  return parse_name<CardStatus>(kStatusNames, t);
}
std::string_view to_string(CardAction a) { return kActionNames[static_cast<std::size_t>(a)]; }
std::optional<CardAction> parse_card_action(std::string_view t) {
  return parse_name<CardAction>(kActionNames, t);
}
std::string_view to_string(BindingStatus s) { return kBindingNames[static_cast<std::size_t>(s)]; }
std::optional<BindingStatus> parse_binding_status(std::string_view t) {
  return parse_name<BindingStatus>(kBindingNames, t);
}

bool is_terminal(CardStatus s) { return s == S::kCancelled || s == S::kReplaced; }

Result<CardStatus> next_status(CardStatus from, CardAction action) {
  for (const auto& t : kTransitions) {
    if (t.from == from && t.action == action) return t.to;
  }
  return Error(ErrorCode::kInvalidStateTransition);
}

BindingStatus binding_status_for(CardStatus status) {
  switch (status) {
    case S::kActive:
      return BindingStatus::kUsable;
    case S::kLost:    // R-L1: reported lost
    case S::kLocked:  // R-L4: locked
      return BindingStatus::kSuspended;
    case S::kCancelled:  // R-L4
    case S::kReplaced:   // R-L3: the person is issued again on the new card
      return BindingStatus::kUnlinked;
    case S::kPendingPickup:
    case S::kInactive:
      // Issuance refuses these states (R-E5), and no action leads back to them, so no
      // binding exists to ask about in practice. Still the function must answer: a card
      // that is not yet usable cannot carry a usable binding, and unlinked is final,
      // which would wrongly end a binding that activation should make usable.
      return BindingStatus::kSuspended;
  }
  ESSC_INVARIANT(false && "CardStatus out of range");
  return BindingStatus::kSuspended;
}

std::optional<ErrorCode> ecard_refusal(CardStatus status) {
  switch (status) {
    case S::kActive:
      return std::nullopt;
    case S::kPendingPickup:
      return ErrorCode::kCardNotCollected;
    case S::kInactive:
      return ErrorCode::kCardNotActivated;
    case S::kLost:
      return ErrorCode::kCardReportedLost;
    case S::kLocked:
      return ErrorCode::kCardLocked;
    case S::kCancelled:
      return ErrorCode::kCardCancelled;
    case S::kReplaced:
      return ErrorCode::kCardReplaced;
  }
  ESSC_INVARIANT(false && "CardStatus out of range");
  return ErrorCode::kInternal;
}

}  // namespace essc::domain
