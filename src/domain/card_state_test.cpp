#include "domain/card_state.hpp"

#include <gtest/gtest.h>

#include <array>
#include <optional>
#include <string>
#include <tuple>

namespace essc::domain {
namespace {

using S = CardStatus;
using A = CardAction;

// SPEC.md R-C1 copied cell by cell, independently of the implementation's list.
// An empty cell (kNo) is 409 INVALID_STATE_TRANSITION.
constexpr std::optional<S> kNo = std::nullopt;
constexpr std::array<std::array<std::optional<S>, kCardActionCount>, kCardStatusCount> kSpecTable{{
    //                  collect        activate      report-loss  cancel-loss   lock          unlock
    //                  replace         cancel
    /* pending_pickup */ {S::kInactive, kNo, kNo, kNo, kNo, kNo, kNo, S::kCancelled},
    /* inactive       */ {kNo, S::kActive, kNo, kNo, kNo, kNo, S::kReplaced, S::kCancelled},
    /* active         */ {kNo, kNo, S::kLost, kNo, S::kLocked, kNo, S::kReplaced, S::kCancelled},
    /* lost           */ {kNo, kNo, kNo, S::kActive, kNo, kNo, S::kReplaced, S::kCancelled},
    /* locked         */ {kNo, kNo, S::kLost, kNo, kNo, S::kActive, S::kReplaced, S::kCancelled},
    /* cancelled      */ {kNo, kNo, kNo, kNo, kNo, kNo, kNo, kNo},
    /* replaced       */ {kNo, kNo, kNo, kNo, kNo, kNo, kNo, kNo},
}};

// One test case per (state, action) pair: 7 × 8 = 56.
class CardTransition : public ::testing::TestWithParam<std::tuple<int, int>> {};

TEST_P(CardTransition, R_C1_FollowsTheSpecTable) {
  const auto [s, a] = GetParam();
  const auto from = static_cast<S>(s);
  const auto action = static_cast<A>(a);
  const auto expected = kSpecTable[static_cast<std::size_t>(s)][static_cast<std::size_t>(a)];
  const auto result = next_status(from, action);
  if (expected) {
    ASSERT_TRUE(result.ok()) << to_string(from) << " " << to_string(action);
    EXPECT_EQ(*result, *expected) << to_string(from) << " " << to_string(action) << " → "
                                  << to_string(*result);
  } else {
    ASSERT_FALSE(result.ok()) << to_string(from) << " " << to_string(action) << " → "
                              << to_string(*result);
    EXPECT_EQ(result.error().code, ErrorCode::kInvalidStateTransition);
  }
}

std::string pair_name(const ::testing::TestParamInfo<std::tuple<int, int>>& info) {
  std::string name = std::string(to_string(static_cast<S>(std::get<0>(info.param)))) + "_" +
                     std::string(to_string(static_cast<A>(std::get<1>(info.param))));
  for (auto& ch : name) {
    if (ch == '-') ch = '_';
  }
  return name;
}

INSTANTIATE_TEST_SUITE_P(EveryStateAndAction, CardTransition,
                         ::testing::Combine(::testing::Range(0, kCardStatusCount),
                                            ::testing::Range(0, kCardActionCount)),
                         pair_name);

TEST(CardState, R_C1_TableHasSixteenAllowedTransitions) {
  int allowed = 0;
  for (int s = 0; s < kCardStatusCount; ++s) {
    for (int a = 0; a < kCardActionCount; ++a)
      allowed += next_status(static_cast<S>(s), static_cast<A>(a)).ok();
  }
  EXPECT_EQ(allowed, 16);
}

TEST(CardState, R_C1_OnlyCancelledAndReplacedAreTerminal) {
  for (int s = 0; s < kCardStatusCount; ++s) {
    const auto status = static_cast<S>(s);
    EXPECT_EQ(is_terminal(status), status == S::kCancelled || status == S::kReplaced)
        << to_string(status);
  }
  for (auto s : {S::kCancelled, S::kReplaced}) {
    for (int a = 0; a < kCardActionCount; ++a) EXPECT_FALSE(next_status(s, static_cast<A>(a)).ok());
  }
}

TEST(CardState, R_C1_NamesAreTheApiSpelling) {
  constexpr std::array<std::string_view, kCardStatusCount> kStatuses{
      "pending_pickup", "inactive", "active", "lost", "locked", "cancelled", "replaced"};
  constexpr std::array<std::string_view, kCardActionCount> kActions{
      "collect", "activate", "report-loss", "cancel-loss", "lock", "unlock", "replace", "cancel"};
  for (int s = 0; s < kCardStatusCount; ++s) {
    EXPECT_EQ(to_string(static_cast<S>(s)), kStatuses[static_cast<std::size_t>(s)]);
    EXPECT_EQ(parse_card_status(kStatuses[static_cast<std::size_t>(s)]), static_cast<S>(s));
  }
  for (int a = 0; a < kCardActionCount; ++a) {
    EXPECT_EQ(to_string(static_cast<A>(a)), kActions[static_cast<std::size_t>(a)]);
    EXPECT_EQ(parse_card_action(kActions[static_cast<std::size_t>(a)]), static_cast<A>(a));
  }
  for (std::string_view text : {"", "gone", "Active", "pending-pickup", " active"}) {
    EXPECT_EQ(parse_card_status(text), std::nullopt) << text;
  }
  for (std::string_view text : {"", "report_loss", "Lock", "cancel_loss", "reportloss"}) {
    EXPECT_EQ(parse_card_action(text), std::nullopt) << text;
  }
}

TEST(BindingStatus, R_E2_NamesRoundTrip) {
  EXPECT_EQ(to_string(BindingStatus::kUsable), "usable");
  EXPECT_EQ(to_string(BindingStatus::kSuspended), "suspended");
  EXPECT_EQ(to_string(BindingStatus::kUnlinked), "unlinked");
  for (int b = 0; b < kBindingStatusCount; ++b) {
    EXPECT_EQ(parse_binding_status(to_string(static_cast<BindingStatus>(b))),
              static_cast<BindingStatus>(b));
  }
  EXPECT_EQ(parse_binding_status("Usable"), std::nullopt);
}

TEST(BindingStatus, R_E1_R_L1_R_L2_R_L3_R_L4_FollowsTheCard) {
  EXPECT_EQ(binding_status_for(S::kActive), BindingStatus::kUsable);       // R-E1, R-L2
  EXPECT_EQ(binding_status_for(S::kLost), BindingStatus::kSuspended);      // R-L1
  EXPECT_EQ(binding_status_for(S::kLocked), BindingStatus::kSuspended);    // R-L4
  EXPECT_EQ(binding_status_for(S::kReplaced), BindingStatus::kUnlinked);   // R-L3
  EXPECT_EQ(binding_status_for(S::kCancelled), BindingStatus::kUnlinked);  // R-L4
  // Not yet usable cards cannot carry a usable binding, and must not end one for good.
  EXPECT_EQ(binding_status_for(S::kPendingPickup), BindingStatus::kSuspended);
  EXPECT_EQ(binding_status_for(S::kInactive), BindingStatus::kSuspended);
}

TEST(BindingStatus, R_E1_UsableExactlyWhileTheCardIsActive) {
  for (int s = 0; s < kCardStatusCount; ++s) {
    const auto status = static_cast<S>(s);
    EXPECT_EQ(binding_status_for(status) == BindingStatus::kUsable, status == S::kActive)
        << to_string(status);
    EXPECT_EQ(binding_status_for(status) == BindingStatus::kUnlinked, is_terminal(status))
        << to_string(status);
  }
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
