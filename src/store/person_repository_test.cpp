// What the person repository promises, on both engines: every field back as stored, looked up
// by id and by ID number (R-P1), one person per ID number (R-P2), and the ID number, name
// and phone sealed in the store (R-S5).
#include "store/person_repository.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <latch>
#include <thread>

#include "store/account_repository.hpp"
#include "support/store_rows.hpp"

namespace essc::store {
namespace {

using testing::read_rows;
using testing::write_rows;

void expect_same(const domain::Person& got, const domain::Person& want) {
  EXPECT_EQ(got.person_id, want.person_id);
  EXPECT_EQ(got.id_number, want.id_number);
  EXPECT_EQ(got.name, want.name);
  EXPECT_EQ(got.region_code, want.region_code);
  EXPECT_EQ(got.phone, want.phone);
  EXPECT_EQ(got.photo_police, want.photo_police);
  EXPECT_EQ(got.photo_cardholder, want.photo_cardholder);
  EXPECT_EQ(got.created_at_ms, want.created_at_ms);
}

class PersonRepositoryTest : public ::testing::Test {
 protected:
  testing::TestPlatform t_;
  const crypto::PiiVault& vault_ = t_.vault();
};

TEST_F(PersonRepositoryTest, R_P1_EveryFieldRoundTripsByIdAndByIdNumber) {
  const auto a = testing::stored_person(t_, 1);
  const auto b = testing::stored_person(t_, 2);
  EXPECT_GT(a.person_id, 0);
  EXPECT_NE(a.person_id, b.person_id);
  for (const auto& p : {a, b}) {
    const auto by_id =
        read_rows(t_.ctx().db, [&](Connection& c) { return find_person(c, vault_, p.person_id); });
    ASSERT_TRUE(by_id.has_value());
    expect_same(*by_id, p);
    const auto by_number = read_rows(t_.ctx().db, [&](Connection& c) {
      return find_person_by_id_number(c, vault_, p.id_number);
    });
    ASSERT_TRUE(by_number.has_value());
    expect_same(*by_number, p);
  }
}

TEST_F(PersonRepositoryTest, R_P1_APersonWithoutPhoneReadsBackWithout) {
  domain::Person p;
  p.id_number = testing::make_id_number("33020219800101123");
  p.name = "李四";
  p.region_code = testing::kShanghai;
  p.created_at_ms = testing::kTestEpochMs;
  ASSERT_TRUE(write_rows(t_.ctx().db, [&](Connection& c) { insert_person(c, vault_, p); }).ok());
  const auto got =
      read_rows(t_.ctx().db, [&](Connection& c) { return find_person(c, vault_, p.person_id); });
  ASSERT_TRUE(got.has_value());
  expect_same(*got, p);
  EXPECT_FALSE(got->phone.has_value());
}

TEST_F(PersonRepositoryTest, AbsentPersonsAreNotFound) {
  const auto p = testing::stored_person(t_, 3);
  EXPECT_FALSE(read_rows(t_.ctx().db, [&](Connection& c) {
                 return find_person(c, vault_, p.person_id + 1000);
               }).has_value());
  EXPECT_FALSE(read_rows(t_.ctx().db, [&](Connection& c) {
                 return find_person_by_id_number(c, vault_,
                                                 testing::make_id_number("33020219900101999"));
               }).has_value());
}

TEST_F(PersonRepositoryTest, R_P2_ASecondPersonWithTheSameIdNumberIsAConflict) {
  auto p = testing::stored_person(t_, 4);
  p.name = "王五";
  const auto status = write_rows(t_.ctx().db, [&](Connection& c) { insert_person(c, vault_, p); });
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().code, ErrorCode::kConflict);
  const auto kept = read_rows(
      t_.ctx().db, [&](Connection& c) { return find_person_by_id_number(c, vault_, p.id_number); });
  ASSERT_TRUE(kept.has_value());
  EXPECT_EQ(kept->name, "张三4");
}

TEST_F(PersonRepositoryTest, R_S5_IdNumberNameAndPhoneAreNotStoredInClear) {
  const auto p = testing::stored_person(t_, 5);
  const auto bytes = t_.store_dump();
  ASSERT_GT(bytes.size(), 1000u);
  EXPECT_EQ(bytes.find(p.id_number), std::string::npos);
  EXPECT_EQ(bytes.find(p.name), std::string::npos);
  EXPECT_EQ(bytes.find(*p.phone), std::string::npos);
}

// R-U4: the person's lock orders a row-locked write (a settlement) behind the one holding
// it, and what it reads after taking it includes what that one committed; on PostgreSQL
// this is what keeps a settlement's limits at READ COMMITTED.
TEST_F(PersonRepositoryTest, R_U4_ARowLockedWriteReadsWhatThePersonsPreviousHolderCommitted) {
  const auto person = testing::stored_person(t_, 1);
  std::latch first_holds(1);
  std::atomic_flag counted;
  std::thread first([&] {
    const auto credited = t_.ctx().db.write_row_locked<bool>([&](Connection& c) -> Result<bool> {
      lock_person(c, person.person_id);
      // On PostgreSQL the lock goes with the write's next read: held once that answers.
      medical_balance_fen(c, person.person_id);
      if (!counted.test_and_set()) first_holds.count_down();
      std::this_thread::sleep_for(std::chrono::milliseconds(300));
      apply_medical_movement(c, person.person_id, "credit", 100, "memo", "ref-lock",
                             testing::kTestEpochMs);
      return true;
    });
    EXPECT_TRUE(credited.ok());
  });
  first_holds.wait();
  const auto seen =
      t_.ctx().db.write_row_locked<std::int64_t>([&](Connection& c) -> Result<std::int64_t> {
        lock_person(c, person.person_id);
        return medical_balance_fen(c, person.person_id);
      });
  first.join();
  ASSERT_TRUE(seen.ok());
  EXPECT_EQ(*seen, 100) << "the second write read the balance before the first committed";
}

}  // namespace
}  // namespace essc::store
