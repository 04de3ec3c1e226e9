#include "domain/card_state.hpp"

#include <gtest/gtest.h>

#include <map>

namespace essc::domain {
namespace {

using S = CardStatus;
using A = CardAction;

// SPEC.md R-C1 written out again, independently of the implementation's table.
const std::map<std::pair<S, A>, S> kAllowed{
    {{S::kPendingPickup, A::kCollect}, S::kInactive}, {{S::kPendingPickup, A::kCancel}, S::kCancelled},
    {{S::kInactive, A::kActivate}, S::kActive},       {{S::kInactive, A::kReplace}, S::kReplaced},
    {{S::kInactive, A::kCancel}, S::kCancelled},      {{S::kActive, A::kReportLoss}, S::kLost},
    {{S::kActive, A::kLock}, S::kLocked},             {{S::kActive, A::kReplace}, S::kReplaced},
    {{S::kActive, A::kCancel}, S::kCancelled},        {{S::kLost, A::kCancelLoss}, S::kActive},
    {{S::kLost, A::kReplace}, S::kReplaced},          {{S::kLost, A::kCancel}, S::kCancelled},
    {{S::kLocked, A::kReportLoss}, S::kLost},         {{S::kLocked, A::kUnlock}, S::kActive},
    {{S::kLocked, A::kReplace}, S::kReplaced},        {{S::kLocked, A::kCancel}, S::kCancelled},
};

TEST(CardState, R_C1_EveryStateAndActionPair) {
  int checked = 0;
  for (int s = 0; s <= static_cast<int>(S::kReplaced); ++s) {
    for (int a = 0; a <= static_cast<int>(A::kCancel); ++a) {
      const auto from = static_cast<S>(s);
      const auto action = static_cast<A>(a);
      const auto result = next_status(from, action);
      const auto expected = kAllowed.find({from, action});
      if (expected == kAllowed.end()) {
        ASSERT_FALSE(result.ok()) << to_string(from) << " " << to_string(action);
        EXPECT_EQ(result.error().code, ErrorCode::kInvalidStateTransition);
      } else {
        ASSERT_TRUE(result.ok()) << to_string(from) << " " << to_string(action);
        EXPECT_EQ(*result, expected->second);
      }
      ++checked;
    }
  }
  EXPECT_EQ(checked, 56);
}

TEST(CardState, R_C1_TerminalStatesHaveNoWayOut) {
  for (auto s : {S::kCancelled, S::kReplaced}) {
    EXPECT_TRUE(is_terminal(s));
    for (int a = 0; a <= static_cast<int>(A::kCancel); ++a) EXPECT_FALSE(next_status(s, static_cast<A>(a)).ok());
  }
  EXPECT_FALSE(is_terminal(S::kLost));
}

TEST(CardState, NamesRoundTrip) {
  for (int s = 0; s <= static_cast<int>(S::kReplaced); ++s) {
    EXPECT_EQ(parse_card_status(to_string(static_cast<S>(s))), static_cast<S>(s));
  }
  for (int a = 0; a <= static_cast<int>(A::kCancel); ++a) {
    EXPECT_EQ(parse_card_action(to_string(static_cast<A>(a))), static_cast<A>(a));
  }
  EXPECT_EQ(parse_card_status("gone"), std::nullopt);
}

TEST(BindingStatus, R_E1_R_L1_R_L3_R_L4_FollowsTheCard) {
  EXPECT_EQ(binding_status_for(S::kActive), BindingStatus::kUsable);
  EXPECT_EQ(binding_status_for(S::kLost), BindingStatus::kSuspended);
  EXPECT_EQ(binding_status_for(S::kLocked), BindingStatus::kSuspended);
  EXPECT_EQ(binding_status_for(S::kReplaced), BindingStatus::kUnlinked);
  EXPECT_EQ(binding_status_for(S::kCancelled), BindingStatus::kUnlinked);
}

TEST(CardState, R_E5_EachUnusableStateHasItsOwnRefusal) {
  EXPECT_EQ(ecard_refusal(S::kActive), std::nullopt);
  EXPECT_EQ(ecard_refusal(S::kPendingPickup), ErrorCode::kCardNotCollected);
  EXPECT_EQ(ecard_refusal(S::kInactive), ErrorCode::kCardNotActivated);
  EXPECT_EQ(ecard_refusal(S::kLost), ErrorCode::kCardReportedLost);
  EXPECT_EQ(ecard_refusal(S::kLocked), ErrorCode::kCardLocked);
  EXPECT_EQ(ecard_refusal(S::kCancelled), ErrorCode::kCardCancelled);
  EXPECT_EQ(ecard_refusal(S::kReplaced), ErrorCode::kCardReplaced);
}

}  // namespace
}  // namespace essc::domain
