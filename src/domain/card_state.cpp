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

// SPEC.md R-C1, row by row.
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

constexpr std::array<std::string_view, 7> kStatusNames{"pending_pickup", "inactive", "active", "lost",
                                                       "locked",         "cancelled", "replaced"};
constexpr std::array<std::string_view, 8> kActionNames{"collect", "activate", "report-loss", "cancel-loss",
                                                       "lock",    "unlock",   "replace",     "cancel"};
constexpr std::array<std::string_view, 3> kBindingNames{"usable", "suspended", "unlinked"};

template <class Enum, std::size_t N>
std::optional<Enum> parse_name(const std::array<std::string_view, N>& names, std::string_view text) {
  for (std::size_t i = 0; i < N; ++i) {
    if (names[i] == text) return static_cast<Enum>(i);
  }
  return std::nullopt;
}

}  // namespace

std::string_view to_string(CardStatus s) { return kStatusNames[static_cast<std::size_t>(s)]; }
std::optional<CardStatus> parse_card_status(std::string_view t) { return parse_name<CardStatus>(kStatusNames, t); }
std::string_view to_string(CardAction a) { return kActionNames[static_cast<std::size_t>(a)]; }
std::optional<CardAction> parse_card_action(std::string_view t) { return parse_name<CardAction>(kActionNames, t); }
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
    case S::kCancelled:
    case S::kReplaced:
      return BindingStatus::kUnlinked;
    case S::kLost:
    case S::kLocked:
    case S::kPendingPickup:
    case S::kInactive:
      return BindingStatus::kSuspended;
  }
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
  return ErrorCode::kCardNotFound;
}

}  // namespace essc::domain
