// What the filing functions promise, on both engines (R-X2): every field back as stored,
// a person's filings in order of their first day, a filing covering exactly its region
// and its days (both ends included), and a deletion only of the person's own filing.
#include "store/filing_repository.hpp"

#include <gtest/gtest.h>

#include "support/store_rows.hpp"

namespace essc::store {
namespace {

using testing::read_rows;
using testing::write_rows;

class FilingRepositoryTest : public ::testing::Test {
 protected:
  domain::Filing filing(std::string id, std::string from_day, std::string to_day) {
    return {std::move(id),     holder_.person_id, testing::kShanghai,   std::move(from_day),
            std::move(to_day), "operator:clerk",  testing::kTestEpochMs};
  }
  bool covers(std::string_view region, std::string_view day) {
    return read_rows(t_.ctx().db, [&](Connection& c) {
      return filing_covers(c, holder_.person_id, region, day);
    });
  }

  testing::TestPlatform t_;
  domain::Person holder_ = testing::stored_person(t_, 1);
  domain::Person other_ = testing::stored_person(t_, 2);
};

TEST_F(FilingRepositoryTest, R_X2_EveryFieldRoundTripsInOrderOfTheFirstDay) {
  const auto later = filing("f_later", "2026-12-01", "2026-12-31");
  const auto earlier = filing("f_earlier", "2026-11-01", "2026-11-30");
  ASSERT_TRUE(write_rows(t_.ctx().db, [&](Connection& c) {
                insert_filing(c, later);
                insert_filing(c, earlier);
              }).ok());
  const auto got = read_rows(
      t_.ctx().db, [&](Connection& c) { return filings_of_person(c, holder_.person_id); });
  ASSERT_EQ(got.size(), 2u);
  for (std::size_t i = 0; i < 2; ++i) {
    const auto& want = i == 0 ? earlier : later;
    EXPECT_EQ(got[i].filing_id, want.filing_id);
    EXPECT_EQ(got[i].person_id, want.person_id);
    EXPECT_EQ(got[i].treatment_region, want.treatment_region);
    EXPECT_EQ(got[i].from_day, want.from_day);
    EXPECT_EQ(got[i].to_day, want.to_day);
    EXPECT_EQ(got[i].created_by, want.created_by);
    EXPECT_EQ(got[i].created_at_ms, want.created_at_ms);
  }
  EXPECT_TRUE(read_rows(t_.ctx().db, [&](Connection& c) {
                return filings_of_person(c, other_.person_id);
              }).empty());
}

TEST_F(FilingRepositoryTest, R_X2_AFilingCoversItsRegionFromItsFirstToItsLastDay) {
  ASSERT_TRUE(write_rows(t_.ctx().db, [&](Connection& c) {
                insert_filing(c, filing("f_cover", "2026-11-10", "2026-11-20"));
              }).ok());
  EXPECT_FALSE(covers(testing::kShanghai, "2026-11-09"));
  EXPECT_TRUE(covers(testing::kShanghai, "2026-11-10"));
  EXPECT_TRUE(covers(testing::kShanghai, "2026-11-20"));
  EXPECT_FALSE(covers(testing::kShanghai, "2026-11-21"));
  EXPECT_FALSE(covers("320100", "2026-11-15")) << "another region";
  EXPECT_FALSE(read_rows(t_.ctx().db, [&](Connection& c) {
    return filing_covers(c, other_.person_id, testing::kShanghai, "2026-11-15");
  })) << "another person";
}

TEST_F(FilingRepositoryTest, R_X2_OnlyThePersonsOwnFilingIsDeleted) {
  ASSERT_TRUE(write_rows(t_.ctx().db, [&](Connection& c) {
                insert_filing(c, filing("f_delete", "2026-11-10", "2026-11-20"));
              }).ok());
  const auto remove = [&](std::int64_t person_id, std::string_view id) {
    return t_.ctx().db.write<bool>(
        [&](Connection& c) -> Result<bool> { return delete_filing(c, person_id, id); });
  };
  EXPECT_FALSE(*remove(other_.person_id, "f_delete"));
  EXPECT_FALSE(*remove(holder_.person_id, "f_none"));
  EXPECT_TRUE(covers(testing::kShanghai, "2026-11-15"));
  EXPECT_TRUE(*remove(holder_.person_id, "f_delete"));
  EXPECT_FALSE(covers(testing::kShanghai, "2026-11-15"));
  EXPECT_FALSE(*remove(holder_.person_id, "f_delete"));
}

TEST_F(FilingRepositoryTest, R_X2_ATakenFilingIdIsAConflict) {
  const auto f = filing("f_twice", "2026-11-10", "2026-11-20");
  ASSERT_TRUE(write_rows(t_.ctx().db, [&](Connection& c) { insert_filing(c, f); }).ok());
  const auto status = write_rows(t_.ctx().db, [&](Connection& c) { insert_filing(c, f); });
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().code, ErrorCode::kConflict);
}

}  // namespace
}  // namespace essc::store
