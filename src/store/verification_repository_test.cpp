// What the verification functions promise, on both engines: every field back as stored
// and as updated (R-S3), absent sessions not found, one row per id, and the per-day
// counts of SMS codes (R-S3) and of checks of a person's secrets (R-E4, R-W2) kept per
// phone or person, kind and day, never below zero.
#include "store/verification_repository.hpp"

#include <gtest/gtest.h>

#include "support/store_rows.hpp"

namespace essc::store {
namespace {

using testing::read_rows;
using testing::write_rows;

void expect_same(const domain::Verification& got, const domain::Verification& want) {
  EXPECT_EQ(got.verification_id, want.verification_id);
  EXPECT_EQ(got.client_id, want.client_id);
  EXPECT_EQ(got.purpose, want.purpose);
  EXPECT_EQ(got.person_id, want.person_id);
  EXPECT_EQ(got.card_no, want.card_no);
  EXPECT_EQ(got.binding_id, want.binding_id);
  EXPECT_EQ(got.verified_level, want.verified_level);
  EXPECT_EQ(got.face_attempts, want.face_attempts);
  EXPECT_EQ(got.factor_attempts, want.factor_attempts);
  EXPECT_EQ(got.otp_hash, want.otp_hash);
  EXPECT_EQ(got.otp_sent_at_ms, want.otp_sent_at_ms);
  EXPECT_EQ(got.otp_expires_at_ms, want.otp_expires_at_ms);
  EXPECT_EQ(got.otp_attempts, want.otp_attempts);
  EXPECT_EQ(got.consumed, want.consumed);
  EXPECT_EQ(got.expires_at_ms, want.expires_at_ms);
  EXPECT_EQ(got.created_at_ms, want.created_at_ms);
}

class VerificationRepositoryTest : public ::testing::Test {
 protected:
  std::optional<domain::Verification> find(std::string_view id) {
    return read_rows(t_.ctx().db, [&](Connection& c) { return find_verification(c, id); });
  }
  domain::Verification fresh(std::string id) {
    domain::Verification v;
    v.verification_id = std::move(id);
    v.client_id = channel_.client_id;
    v.purpose = domain::VerificationPurpose::kUpgrade;
    v.person_id = holder_.person_id;
    v.card_no = "A00000001";
    v.binding_id = "b_verification";
    v.expires_at_ms = testing::kTestEpochMs + 600'000;
    v.created_at_ms = testing::kTestEpochMs;
    return v;
  }

  testing::TestPlatform t_;
  domain::Person holder_ = testing::stored_person(t_, 1);
  domain::Client channel_ = testing::stored_channel(t_, 1);
};

TEST_F(VerificationRepositoryTest, R_S3_EveryFieldRoundTripsAsInsertedAndAsUpdated) {
  auto v = fresh("v_round_trip");
  ASSERT_TRUE(write_rows(t_.ctx().db, [&](Connection& c) { insert_verification(c, v); }).ok());
  ASSERT_TRUE(find(v.verification_id).has_value());
  expect_same(*find(v.verification_id), v);

  v.verified_level = 2;
  v.face_attempts = 1;
  v.factor_attempts = 2;
  v.otp_hash = std::string(32, '\x7f');
  v.otp_sent_at_ms = testing::kTestEpochMs + 10;
  v.otp_expires_at_ms = testing::kTestEpochMs + 300'010;
  v.otp_attempts = 3;
  v.consumed = true;
  ASSERT_TRUE(write_rows(t_.ctx().db, [&](Connection& c) { update_verification(c, v); }).ok());
  expect_same(*find(v.verification_id), v);
}

TEST_F(VerificationRepositoryTest, R_S3_AnAbsentSessionIsNotFoundAndATakenIdIsAConflict) {
  EXPECT_FALSE(find("v_none").has_value());
  auto v = fresh("v_twice");
  v.binding_id = std::nullopt;
  ASSERT_TRUE(write_rows(t_.ctx().db, [&](Connection& c) { insert_verification(c, v); }).ok());
  expect_same(*find("v_twice"), v);
  const auto status = write_rows(t_.ctx().db, [&](Connection& c) { insert_verification(c, v); });
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().code, ErrorCode::kConflict);
}

TEST_F(VerificationRepositoryTest, R_S3_SmsCodesAreCountedPerPhoneAndDay) {
  const std::string phone_a(32, 'a'), phone_b(32, 'b');
  const auto sent = [&](const std::string& phone, std::string_view day) {
    return read_rows(t_.ctx().db, [&](Connection& c) { return sms_sent_on(c, phone, day); });
  };
  EXPECT_EQ(sent(phone_a, "2026-11-26"), 0);
  ASSERT_TRUE(write_rows(t_.ctx().db, [&](Connection& c) {
                count_sms_sent(c, phone_a, "2026-11-26");
                count_sms_sent(c, phone_a, "2026-11-26");
                count_sms_sent(c, phone_a, "2026-11-27");
                count_sms_sent(c, phone_b, "2026-11-26");
              }).ok());
  EXPECT_EQ(sent(phone_a, "2026-11-26"), 2);
  EXPECT_EQ(sent(phone_a, "2026-11-27"), 1);
  EXPECT_EQ(sent(phone_b, "2026-11-26"), 1);
}

TEST_F(VerificationRepositoryTest,
       R_E4_ChecksOfSecretsAreCountedPerPersonKindAndDayNeverBelowZero) {
  const auto other = testing::stored_person(t_, 2);
  const auto checks = [&](std::int64_t person_id, DailyCheck kind, std::string_view day) {
    return read_rows(t_.ctx().db,
                     [&](Connection& c) { return daily_checks_on(c, person_id, kind, day); });
  };
  const auto me = holder_.person_id;
  ASSERT_TRUE(write_rows(t_.ctx().db, [&](Connection& c) {
                uncount_daily_check(c, me, DailyCheck::kFourFactor, "2026-11-26");
                count_daily_check(c, me, DailyCheck::kFourFactor, "2026-11-26");
                count_daily_check(c, me, DailyCheck::kFourFactor, "2026-11-26");
                count_daily_check(c, me, DailyCheck::kCardPin, "2026-11-26");
                count_daily_check(c, other.person_id, DailyCheck::kFourFactor, "2026-11-26");
              }).ok());
  EXPECT_EQ(checks(me, DailyCheck::kFourFactor, "2026-11-26"), 2);
  EXPECT_EQ(checks(me, DailyCheck::kCardPin, "2026-11-26"), 1);
  EXPECT_EQ(checks(me, DailyCheck::kFourFactor, "2026-11-27"), 0);
  EXPECT_EQ(checks(other.person_id, DailyCheck::kFourFactor, "2026-11-26"), 1);
  ASSERT_TRUE(write_rows(t_.ctx().db, [&](Connection& c) {
                uncount_daily_check(c, me, DailyCheck::kCardPin, "2026-11-26");
                uncount_daily_check(c, me, DailyCheck::kCardPin, "2026-11-26");
              }).ok());
  EXPECT_EQ(checks(me, DailyCheck::kCardPin, "2026-11-26"), 0);
}

}  // namespace
}  // namespace essc::store
