// What the e-card session and used-code functions promise, on both engines: a session
// found by its token hash until expired ones are swept or its e-card's password changes
// (R-W3), and a QR code used once (R-U2) whose row goes only after the code has expired.
#include "store/usage_repository.hpp"

#include <gtest/gtest.h>

#include "store/ecard_repository.hpp"
#include "support/store_rows.hpp"

namespace essc::store {
namespace {

using testing::read_rows;
using testing::write_rows;

class UsageRepositoryTest : public ::testing::Test {
 protected:
  UsageRepositoryTest() {
    const domain::Binding binding{
        binding_id_, ecard_.ecard_id, channel_.client_id, 1, domain::BindingStatus::kUsable, now_,
        now_};
    if (!write_rows(t_.ctx().db, [&](Connection& c) {
           insert_binding(c, binding, holder_.person_id);
         }).ok()) {
      ADD_FAILURE() << "the binding was not stored";
    }
  }
  std::optional<EcardSessionRecord> session(std::string_view hash) {
    return read_rows(t_.ctx().db, [&](Connection& c) { return find_ecard_session(c, hash); });
  }
  Status add_session(std::string_view hash, std::int64_t expires_at_ms) {
    return write_rows(t_.ctx().db, [&](Connection& c) {
      insert_ecard_session(c, hash,
                           {binding_id_, channel_.client_id, expires_at_ms, holder_.person_id});
    });
  }
  bool use(const std::string& token_id, std::int64_t expires_at_ms) {
    return *t_.ctx().db.write<bool>([&](Connection& c) -> Result<bool> {
      return use_qr_token(c, {token_id, holder_.person_id, expires_at_ms, now_, "in_pharmacy"});
    });
  }

  testing::TestPlatform t_;
  std::int64_t now_ = testing::kTestEpochMs;
  domain::Person holder_ = testing::stored_person(t_, 1);
  domain::Card card_ = testing::stored_card(t_, holder_.person_id, 1);
  domain::Ecard ecard_ = testing::stored_ecard(t_, card_);
  domain::Client channel_ = testing::stored_channel(t_, 1);
  std::string binding_id_ = "b_usage";
};

TEST_F(UsageRepositoryTest, R_U1_ASessionRoundTripsByItsTokenHashUntilExpiredOnesAreSwept) {
  const std::string hash_a(32, 'a'), hash_b(32, 'b');
  ASSERT_TRUE(add_session(hash_a, now_ + 1000).ok());
  ASSERT_TRUE(add_session(hash_b, now_ + 9000).ok());
  const auto got = session(hash_a);
  ASSERT_TRUE(got.has_value());
  EXPECT_EQ(got->binding_id, binding_id_);
  EXPECT_EQ(got->client_id, channel_.client_id);
  EXPECT_EQ(got->expires_at_ms, now_ + 1000);
  EXPECT_EQ(got->person_id, holder_.person_id);
  EXPECT_FALSE(session(std::string(32, 'c')).has_value());

  ASSERT_TRUE(write_rows(t_.ctx().db, [&](Connection& c) {
                delete_expired_ecard_sessions(c, now_ + 1000);
              }).ok());
  EXPECT_FALSE(session(hash_a).has_value());
  EXPECT_TRUE(session(hash_b).has_value());
}

TEST_F(UsageRepositoryTest, R_W3_APasswordChangeEndsEverySessionOfTheEcard) {
  ASSERT_TRUE(add_session(std::string(32, 'd'), now_ + 9000).ok());
  ASSERT_TRUE(add_session(std::string(32, 'e'), now_ + 9000).ok());
  ASSERT_TRUE(write_rows(t_.ctx().db, [&](Connection& c) {
                delete_ecard_sessions(c, ecard_.ecard_id + 1000);
              }).ok());
  EXPECT_TRUE(session(std::string(32, 'd')).has_value()) << "another e-card's sessions stay";
  ASSERT_TRUE(write_rows(t_.ctx().db, [&](Connection& c) {
                delete_ecard_sessions(c, ecard_.ecard_id);
              }).ok());
  EXPECT_FALSE(session(std::string(32, 'd')).has_value());
  EXPECT_FALSE(session(std::string(32, 'e')).has_value());
}

TEST_F(UsageRepositoryTest, R_U2_ACodeIsUsedOnceUntilItsRowIsForgottenAfterExpiry) {
  EXPECT_TRUE(use("tok_1", now_ + 60'000));
  EXPECT_FALSE(use("tok_1", now_ + 60'000)) << "a second use meets the first's row";
  EXPECT_TRUE(use("tok_2", now_ + 120'000));
  ASSERT_TRUE(write_rows(t_.ctx().db, [&](Connection& c) {
                delete_used_qr_tokens_expired(c, now_ + 60'000);
              }).ok());
  EXPECT_FALSE(use("tok_1", now_ + 60'000)) << "not forgotten before it has expired";
  ASSERT_TRUE(write_rows(t_.ctx().db, [&](Connection& c) {
                delete_used_qr_tokens_expired(c, now_ + 60'001);
              }).ok());
  EXPECT_TRUE(use("tok_1", now_ + 60'000)) << "forgotten: an expired code is refused earlier";
  EXPECT_FALSE(use("tok_2", now_ + 120'000));
}

}  // namespace
}  // namespace essc::store
