// What the e-card and binding functions promise, on both engines: every field back as
// stored and as updated, one e-card per card (R-E1), one live binding per e-card and
// channel (R-E2), and an e-card's live bindings oldest first without the unlinked ones.
#include "store/ecard_repository.hpp"

#include <gtest/gtest.h>

#include "support/store_rows.hpp"

namespace essc::store {
namespace {

using testing::read_rows;
using testing::write_rows;

void expect_same(const domain::Ecard& got, const domain::Ecard& want) {
  EXPECT_EQ(got.ecard_id, want.ecard_id);
  EXPECT_EQ(got.card_no, want.card_no);
  EXPECT_EQ(got.person_id, want.person_id);
  EXPECT_EQ(got.password_hash, want.password_hash);
  EXPECT_EQ(got.password_failures, want.password_failures);
  EXPECT_EQ(got.password_locked_until_ms, want.password_locked_until_ms);
  EXPECT_EQ(got.created_at_ms, want.created_at_ms);
  EXPECT_EQ(got.updated_at_ms, want.updated_at_ms);
}

void expect_same(const domain::Binding& got, const domain::Binding& want) {
  EXPECT_EQ(got.binding_id, want.binding_id);
  EXPECT_EQ(got.ecard_id, want.ecard_id);
  EXPECT_EQ(got.client_id, want.client_id);
  EXPECT_EQ(got.level, want.level);
  EXPECT_EQ(got.status, want.status);
  EXPECT_EQ(got.created_at_ms, want.created_at_ms);
  EXPECT_EQ(got.updated_at_ms, want.updated_at_ms);
}

class EcardRepositoryTest : public ::testing::Test {
 protected:
  domain::Binding binding(std::string id, const domain::Client& channel, std::int64_t at_ms) {
    return {
        std::move(id), ecard_.ecard_id, channel.client_id, 1, domain::BindingStatus::kUsable, at_ms,
        at_ms};
  }
  Status insert(const domain::Binding& b) {
    return write_rows(t_.ctx().db, [&](Connection& c) { insert_binding(c, b, holder_.person_id); });
  }
  std::vector<domain::Binding> live() {
    return read_rows(t_.ctx().db, [&](Connection& c) { return live_bindings(c, ecard_.ecard_id); });
  }

  testing::TestPlatform t_;
  domain::Person holder_ = testing::stored_person(t_, 1);
  domain::Card card_ = testing::stored_card(t_, holder_.person_id, 1);
  domain::Ecard ecard_ = testing::stored_ecard(t_, card_);
  domain::Client gov_ = testing::stored_channel(t_, 1);
  domain::Client bank_ = testing::stored_channel(t_, 2);
};

TEST_F(EcardRepositoryTest, R_E1_EveryFieldRoundTripsByIdAndByCard) {
  EXPECT_GT(ecard_.ecard_id, 0);
  const auto by_id =
      read_rows(t_.ctx().db, [&](Connection& c) { return find_ecard(c, ecard_.ecard_id); });
  ASSERT_TRUE(by_id.has_value());
  expect_same(*by_id, ecard_);
  const auto by_card =
      read_rows(t_.ctx().db, [&](Connection& c) { return find_ecard_by_card(c, card_.card_no); });
  ASSERT_TRUE(by_card.has_value());
  expect_same(*by_card, ecard_);
}

TEST_F(EcardRepositoryTest, R_W3_ThePasswordStateIsWrittenWhole) {
  auto changed = ecard_;
  changed.password_hash = "$argon2id$changed";
  changed.password_failures = 0;
  changed.password_locked_until_ms = std::nullopt;
  changed.updated_at_ms += 500;
  ASSERT_TRUE(write_rows(t_.ctx().db, [&](Connection& c) {
                update_ecard_password_state(c, changed);
              }).ok());
  const auto got =
      read_rows(t_.ctx().db, [&](Connection& c) { return find_ecard(c, ecard_.ecard_id); });
  ASSERT_TRUE(got.has_value());
  expect_same(*got, changed);
}

TEST_F(EcardRepositoryTest, R_E1_ASecondEcardForOneCardIsAConflict) {
  auto second = ecard_;
  const auto status = write_rows(t_.ctx().db, [&](Connection& c) { insert_ecard(c, second); });
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().code, ErrorCode::kConflict);
}

TEST_F(EcardRepositoryTest, R_E2_EveryBindingFieldRoundTripsAndUpdates) {
  auto b = binding("b_ecard_1", gov_, testing::kTestEpochMs);
  b.level = 2;
  ASSERT_TRUE(insert(b).ok());
  const auto find = [&] {
    return read_rows(t_.ctx().db, [&](Connection& c) { return find_binding(c, b.binding_id); });
  };
  ASSERT_TRUE(find().has_value());
  expect_same(*find(), b);
  const auto in_channel = read_rows(t_.ctx().db, [&](Connection& c) {
    return find_live_binding(c, ecard_.ecard_id, gov_.client_id);
  });
  ASSERT_TRUE(in_channel.has_value());
  expect_same(*in_channel, b);

  b.level = 1;
  b.status = domain::BindingStatus::kSuspended;
  b.updated_at_ms += 10;
  ASSERT_TRUE(write_rows(t_.ctx().db, [&](Connection& c) { update_binding(c, b); }).ok());
  expect_same(*find(), b);
}

TEST_F(EcardRepositoryTest, R_E2_OneLiveBindingPerChannelAndUnlinkedOnesMakeRoom) {
  auto first = binding("b_ecard_2", gov_, testing::kTestEpochMs);
  ASSERT_TRUE(insert(first).ok());
  const auto again = insert(binding("b_ecard_3", gov_, testing::kTestEpochMs + 1));
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().code, ErrorCode::kConflict);

  first.status = domain::BindingStatus::kUnlinked;
  ASSERT_TRUE(write_rows(t_.ctx().db, [&](Connection& c) { update_binding(c, first); }).ok());
  EXPECT_FALSE(read_rows(t_.ctx().db, [&](Connection& c) {
                 return find_live_binding(c, ecard_.ecard_id, gov_.client_id);
               }).has_value());
  EXPECT_TRUE(insert(binding("b_ecard_4", gov_, testing::kTestEpochMs + 2)).ok());
}

TEST_F(EcardRepositoryTest, R_E9_LiveBindingsOldestFirstWithoutUnlinkedOnes) {
  auto unlinked = binding("b_ecard_5", gov_, testing::kTestEpochMs);
  unlinked.status = domain::BindingStatus::kUnlinked;
  ASSERT_TRUE(insert(unlinked).ok());
  ASSERT_TRUE(insert(binding("b_ecard_7", bank_, testing::kTestEpochMs + 2)).ok());
  ASSERT_TRUE(insert(binding("b_ecard_6", gov_, testing::kTestEpochMs + 1)).ok());
  const auto got = live();
  ASSERT_EQ(got.size(), 2u);
  EXPECT_EQ(got[0].binding_id, "b_ecard_6");
  EXPECT_EQ(got[1].binding_id, "b_ecard_7");
}

TEST_F(EcardRepositoryTest, AbsentEcardsAndBindingsAreNotFound) {
  EXPECT_FALSE(read_rows(t_.ctx().db, [&](Connection& c) {
                 return find_ecard(c, ecard_.ecard_id + 1000);
               }).has_value());
  EXPECT_FALSE(read_rows(t_.ctx().db, [&](Connection& c) {
                 return find_ecard_by_card(c, "Z99999999");
               }).has_value());
  EXPECT_FALSE(
      read_rows(t_.ctx().db, [&](Connection& c) { return find_binding(c, "b_none"); }).has_value());
  EXPECT_FALSE(read_rows(t_.ctx().db, [&](Connection& c) {
                 return find_live_binding(c, ecard_.ecard_id, gov_.client_id);
               }).has_value());
  EXPECT_TRUE(live().empty());
}

}  // namespace
}  // namespace essc::store
