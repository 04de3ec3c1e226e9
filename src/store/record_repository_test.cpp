// What the record functions promise, on both engines (R-U6, R-U7): a contribution back as
// stored, the last session per channel, and pages of records newest first, within the
// time range, continuing below a cursor, of the person alone.
#include "store/record_repository.hpp"

#include <gtest/gtest.h>

#include "store/audit_log.hpp"
#include "support/store_rows.hpp"

namespace essc::store {
namespace {

using testing::read_rows;
using testing::write_rows;

class RecordRepositoryTest : public ::testing::Test {
 protected:
  std::vector<RecordRow> page(std::int64_t person_id, std::int64_t from_ms, std::int64_t to_ms,
                              std::int64_t before, std::int64_t limit) {
    return read_rows(t_.ctx().db, [&](Connection& c) {
      return list_records(c, "auth", person_id, from_ms, to_ms, before, limit);
    });
  }
  static std::string text(const RecordRow& row, std::string_view name) {
    for (const auto& [key, value] : row.text)
      if (key == name) return value;
    return "(absent)";
  }

  testing::TestPlatform t_;
  std::int64_t now_ = testing::kTestEpochMs;
  domain::Person holder_ = testing::stored_person(t_, 1);
  domain::Person other_ = testing::stored_person(t_, 2);
  domain::Client channel_ = testing::stored_channel(t_, 1);
};

TEST_F(RecordRepositoryTest, R_U6_AContributionRoundTripsByPersonInsuranceAndPeriod) {
  const ContributionRecord r{"co_1", holder_.person_id, "b_1", "pension", "2026-11", 35'000, now_};
  ASSERT_TRUE(write_rows(t_.ctx().db, [&](Connection& c) {
                append_audit(c, r.at_ms, "client:ch_1", "contribution.pay", r.contribution_id, "ok",
                             r.person_id);
                insert_contribution(c, r);
              }).ok());
  const auto find = [&](std::int64_t person_id, std::string_view insurance,
                        std::string_view period) {
    return read_rows(t_.ctx().db, [&](Connection& c) {
      return find_contribution(c, person_id, insurance, period);
    });
  };
  const auto got = find(holder_.person_id, "pension", "2026-11");
  ASSERT_TRUE(got.has_value());
  EXPECT_EQ(got->contribution_id, r.contribution_id);
  EXPECT_EQ(got->person_id, r.person_id);
  EXPECT_EQ(got->binding_id, r.binding_id);
  EXPECT_EQ(got->insurance, r.insurance);
  EXPECT_EQ(got->period, r.period);
  EXPECT_EQ(got->amount_fen, r.amount_fen);
  EXPECT_EQ(got->at_ms, r.at_ms);
  EXPECT_FALSE(find(holder_.person_id, "pension", "2026-12").has_value());
  EXPECT_FALSE(find(holder_.person_id, "medical", "2026-11").has_value());
  EXPECT_FALSE(find(other_.person_id, "pension", "2026-11").has_value());
}

TEST_F(RecordRepositoryTest, R_E9_TheLastSessionIsTheNewestSuccessfulOpeningInThatChannel) {
  const auto last = [&](std::string_view client_id) {
    return read_rows(t_.ctx().db, [&](Connection& c) {
      return last_session_at(c, holder_.person_id, client_id);
    });
  };
  EXPECT_FALSE(last(channel_.client_id).has_value());
  ASSERT_TRUE(write_rows(t_.ctx().db, [&](Connection& c) {
                insert_auth_event(c, holder_.person_id, channel_.client_id, "session_open", "ok",
                                  now_ + 10);
                insert_auth_event(c, holder_.person_id, channel_.client_id, "session_open", "ok",
                                  now_ + 30);
                insert_auth_event(c, holder_.person_id, channel_.client_id, "session_open",
                                  "PASSWORD_INCORRECT", now_ + 50);
                insert_auth_event(c, holder_.person_id, "ch_other", "session_open", "ok",
                                  now_ + 70);
              }).ok());
  EXPECT_EQ(last(channel_.client_id), now_ + 30);
  EXPECT_EQ(last("ch_other"), now_ + 70);
}

TEST_F(RecordRepositoryTest, R_U7_PagesAreNewestFirstWithinTheRangeBelowTheCursor) {
  ASSERT_TRUE(write_rows(t_.ctx().db, [&](Connection& c) {
                for (int i = 0; i < 5; ++i) {
                  insert_auth_event(c, holder_.person_id, channel_.client_id, "face",
                                    i == 2 ? "FACE_MISMATCH" : "ok", now_ + i * 1000,
                                    i == 4 ? "张*" : "");
                }
                insert_auth_event(c, other_.person_id, channel_.client_id, "face", "ok", now_);
              }).ok());
  const auto first = page(holder_.person_id, now_, now_ + 10'000, 0, 2);
  ASSERT_EQ(first.size(), 2u);
  EXPECT_EQ(first[0].at_ms, now_ + 4000);
  EXPECT_EQ(first[1].at_ms, now_ + 3000);
  EXPECT_GT(first[0].cursor, first[1].cursor);
  EXPECT_EQ(text(first[0], "kind"), "face");
  EXPECT_EQ(text(first[0], "channel_name"), channel_.name);
  EXPECT_EQ(text(first[0], "detail"), "张*");

  const auto second = page(holder_.person_id, now_, now_ + 10'000, first[1].cursor, 10);
  ASSERT_EQ(second.size(), 3u);
  EXPECT_EQ(second[0].at_ms, now_ + 2000);
  EXPECT_EQ(text(second[0], "outcome"), "FACE_MISMATCH");
  EXPECT_EQ(second[2].at_ms, now_);

  const auto ranged = page(holder_.person_id, now_ + 1000, now_ + 3000, 0, 10);
  ASSERT_EQ(ranged.size(), 2u) << "from included, to excluded";
  EXPECT_EQ(ranged[0].at_ms, now_ + 2000);
  EXPECT_EQ(ranged[1].at_ms, now_ + 1000);
  EXPECT_EQ(page(other_.person_id, now_, now_ + 10'000, 0, 10).size(), 1u);
}

}  // namespace
}  // namespace essc::store
