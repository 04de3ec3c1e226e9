// What the card repository promises, on both engines: every field back as stored and as
// updated, the live and the latest card of a person (R-C1, R-E5), one card per number
// and one live card per person (R-C1), a binding read with its card and holder in one
// statement, and the bank account and reserved phone sealed in the store (R-S5).
#include "store/card_repository.hpp"

#include <gtest/gtest.h>

#include "store/ecard_repository.hpp"
#include "support/store_rows.hpp"

namespace essc::store {
namespace {

using testing::read_rows;
using testing::write_rows;

void expect_same(const domain::Card& got, const domain::Card& want) {
  EXPECT_EQ(got.card_no, want.card_no);
  EXPECT_EQ(got.person_id, want.person_id);
  EXPECT_EQ(got.status, want.status);
  EXPECT_EQ(got.region_code, want.region_code);
  EXPECT_EQ(got.bank_code, want.bank_code);
  EXPECT_EQ(got.hr_pin_hash, want.hr_pin_hash);
  EXPECT_EQ(got.financial_pin_hash, want.financial_pin_hash);
  EXPECT_EQ(got.financial_active, want.financial_active);
  EXPECT_EQ(got.bank_account_no, want.bank_account_no);
  EXPECT_EQ(got.reserved_phone, want.reserved_phone);
  EXPECT_EQ(got.replaces_card_no, want.replaces_card_no);
  EXPECT_EQ(got.created_at_ms, want.created_at_ms);
  EXPECT_EQ(got.updated_at_ms, want.updated_at_ms);
}

class CardRepositoryTest : public ::testing::Test {
 protected:
  std::optional<domain::Card> find(std::string_view card_no) {
    return read_rows(t_.ctx().db, [&](Connection& c) { return find_card(c, vault_, card_no); });
  }

  testing::TestPlatform t_;
  const crypto::PiiVault& vault_ = t_.vault();
  domain::Person holder_ = testing::stored_person(t_, 1);
};

TEST_F(CardRepositoryTest, R_C1_EveryFieldRoundTrips) {
  const auto card = testing::stored_card(t_, holder_.person_id, 1);
  const auto got = find(card.card_no);
  ASSERT_TRUE(got.has_value());
  expect_same(*got, card);
  EXPECT_TRUE(read_rows(t_.ctx().db, [&](Connection& c) { return card_exists(c, card.card_no); }));
}

TEST_F(CardRepositoryTest, R_C1_ACardWithoutItsOptionalFieldsReadsBackWithout) {
  domain::Card card;
  card.card_no = "C00000001";
  card.person_id = holder_.person_id;
  card.region_code = testing::kNingbo;
  card.bank_code = "105";
  card.created_at_ms = card.updated_at_ms = testing::kTestEpochMs;
  ASSERT_TRUE(write_rows(t_.ctx().db, [&](Connection& c) { insert_card(c, vault_, card); }).ok());
  const auto got = find(card.card_no);
  ASSERT_TRUE(got.has_value());
  expect_same(*got, card);
}

TEST_F(CardRepositoryTest, R_C1_UpdateWritesEveryMutableField) {
  auto card = testing::stored_card(t_, holder_.person_id, 2);
  card.status = domain::CardStatus::kLost;
  card.hr_pin_hash = "$argon2id$hr-new";
  card.financial_pin_hash = std::nullopt;
  card.financial_active = false;
  card.bank_account_no = "6222021234567890128";
  card.reserved_phone = std::nullopt;
  card.updated_at_ms += 1000;
  ASSERT_TRUE(write_rows(t_.ctx().db, [&](Connection& c) { update_card(c, vault_, card); }).ok());
  const auto got = find(card.card_no);
  ASSERT_TRUE(got.has_value());
  expect_same(*got, card);
}

TEST_F(CardRepositoryTest, R_C1_TheLiveCardIsNeitherCancelledNorReplacedAndTheLatestIsAny) {
  auto old_card = testing::stored_card(t_, holder_.person_id, 3);
  const auto live = [&] {
    return read_rows(t_.ctx().db,
                     [&](Connection& c) { return find_live_card(c, vault_, holder_.person_id); });
  };
  const auto latest = [&] {
    return read_rows(t_.ctx().db,
                     [&](Connection& c) { return find_latest_card(c, vault_, holder_.person_id); });
  };
  ASSERT_TRUE(live().has_value());
  EXPECT_EQ(live()->card_no, old_card.card_no);

  old_card.status = domain::CardStatus::kReplaced;
  ASSERT_TRUE(
      write_rows(t_.ctx().db, [&](Connection& c) { update_card(c, vault_, old_card); }).ok());
  EXPECT_FALSE(live().has_value());
  ASSERT_TRUE(latest().has_value());
  EXPECT_EQ(latest()->card_no, old_card.card_no);

  auto new_card = testing::stored_card(t_, holder_.person_id, 4);
  EXPECT_EQ(live()->card_no, new_card.card_no);
  EXPECT_EQ(latest()->card_no, new_card.card_no);
  new_card.status = domain::CardStatus::kCancelled;
  ASSERT_TRUE(
      write_rows(t_.ctx().db, [&](Connection& c) { update_card(c, vault_, new_card); }).ok());
  EXPECT_FALSE(live().has_value());
  EXPECT_EQ(latest()->card_no, new_card.card_no);
}

TEST_F(CardRepositoryTest, R_E5_TheCurrentCardIsTheLiveOneElseTheLatest) {
  const auto current = [&] {
    return read_rows(t_.ctx().db, [&](Connection& c) {
      return find_current_card(c, vault_, holder_.person_id);
    });
  };
  auto first = testing::stored_card(t_, holder_.person_id, 5);
  first.status = domain::CardStatus::kReplaced;
  ASSERT_TRUE(write_rows(t_.ctx().db, [&](Connection& c) { update_card(c, vault_, first); }).ok());
  EXPECT_EQ(current()->card_no, first.card_no);

  const auto live = testing::stored_card(t_, holder_.person_id, 6);
  auto later = live;  // a cancelled card recorded after the live one: the live one still wins
  later.card_no = "A00000007";
  later.status = domain::CardStatus::kCancelled;
  later.created_at_ms += 1000;
  ASSERT_TRUE(write_rows(t_.ctx().db, [&](Connection& c) { insert_card(c, vault_, later); }).ok());
  EXPECT_EQ(current()->card_no, live.card_no);

  auto retired = live;
  retired.status = domain::CardStatus::kCancelled;
  ASSERT_TRUE(
      write_rows(t_.ctx().db, [&](Connection& c) { update_card(c, vault_, retired); }).ok());
  EXPECT_EQ(current()->card_no, later.card_no);
}

TEST_F(CardRepositoryTest, AbsentCardsAreNotFound) {
  EXPECT_FALSE(find("Z99999999").has_value());
  EXPECT_FALSE(read_rows(t_.ctx().db, [&](Connection& c) { return card_exists(c, "Z99999999"); }));
  EXPECT_FALSE(read_rows(t_.ctx().db, [&](Connection& c) {
                 return find_live_card(c, vault_, holder_.person_id);
               }).has_value());
  EXPECT_FALSE(read_rows(t_.ctx().db, [&](Connection& c) {
                 return find_latest_card(c, vault_, holder_.person_id);
               }).has_value());
  EXPECT_FALSE(read_rows(t_.ctx().db, [&](Connection& c) {
                 return find_current_card(c, vault_, holder_.person_id);
               }).has_value());
  EXPECT_FALSE(read_rows(t_.ctx().db, [&](Connection& c) {
                 return find_binding_with_holder(c, vault_, "b_none");
               }).has_value());
}

TEST_F(CardRepositoryTest, R_C1_ATakenNumberAndASecondLiveCardAreConflicts) {
  const auto card = testing::stored_card(t_, holder_.person_id, 5);
  const auto other = testing::stored_person(t_, 2);
  auto same_number = card;
  same_number.person_id = other.person_id;
  auto second_live = card;
  second_live.card_no = "D00000001";
  for (const auto& conflicting : {same_number, second_live}) {
    const auto status =
        write_rows(t_.ctx().db, [&](Connection& c) { insert_card(c, vault_, conflicting); });
    ASSERT_FALSE(status.ok()) << conflicting.card_no;
    EXPECT_EQ(status.error().code, ErrorCode::kConflict);
  }
  EXPECT_EQ(find(card.card_no)->person_id, holder_.person_id);
  EXPECT_FALSE(find("D00000001").has_value());
}

TEST_F(CardRepositoryTest, R_E2_ABindingIsReadWithItsCardAndHolder) {
  const auto card = testing::stored_card(t_, holder_.person_id, 6);
  const auto channel = testing::stored_channel(t_, 1);
  const auto ecard = testing::stored_ecard(t_, card);
  domain::Binding binding{"b_card_test",
                          ecard.ecard_id,
                          channel.client_id,
                          2,
                          domain::BindingStatus::kUsable,
                          testing::kTestEpochMs,
                          testing::kTestEpochMs + 1};
  ASSERT_TRUE(write_rows(t_.ctx().db, [&](Connection& c) {
                insert_binding(c, binding, holder_.person_id);
              }).ok());
  const auto got = read_rows(t_.ctx().db, [&](Connection& c) {
    return find_binding_with_holder(c, vault_, binding.binding_id);
  });
  ASSERT_TRUE(got.has_value());
  EXPECT_EQ(got->binding.binding_id, binding.binding_id);
  EXPECT_EQ(got->binding.level, 2);
  EXPECT_EQ(got->binding.client_id, channel.client_id);
  expect_same(got->card, card);
  EXPECT_EQ(got->person.person_id, holder_.person_id);
  EXPECT_EQ(got->person.name, holder_.name);
  EXPECT_EQ(got->person.id_number, holder_.id_number);
}

TEST_F(CardRepositoryTest, R_S5_BankAccountAndReservedPhoneAreNotStoredInClear) {
  const auto card = testing::stored_card(t_, holder_.person_id, 7);
  const auto bytes = t_.store_dump();
  ASSERT_GT(bytes.size(), 1000u);
  EXPECT_EQ(bytes.find(*card.bank_account_no), std::string::npos);
  EXPECT_EQ(bytes.find(*card.reserved_phone), std::string::npos);
  EXPECT_NE(bytes.find(card.card_no), std::string::npos) << "the card number is not personal data";
}

}  // namespace
}  // namespace essc::store
