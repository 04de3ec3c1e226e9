// What the operator functions promise, on both engines: every field back as stored, one
// operator per username, sessions found by their token hash only until they expire and
// never stored in clear, and the failed-login count kept per username (R-S6).
#include "store/operator_repository.hpp"

#include <gtest/gtest.h>

#include "support/store_rows.hpp"

namespace essc::store {
namespace {

using testing::read_rows;
using testing::write_rows;

class OperatorRepositoryTest : public ::testing::Test {
 protected:
  Status insert(const domain::Operator& op) {
    return write_rows(t_.ctx().db, [&](Connection& c) { insert_operator(c, op, now_); });
  }
  std::optional<domain::Operator> by_session(std::string_view token_hash, std::int64_t now_ms) {
    return read_rows(t_.ctx().db, [&](Connection& c) {
      return find_operator_by_session(c, token_hash, now_ms);
    });
  }

  testing::TestPlatform t_;
  std::int64_t now_ = testing::kTestEpochMs;
  domain::Operator teller_{"teller_icbc", "$argon2id$teller", domain::OperatorRole::kBankTeller,
                           "105"};
  domain::Operator clerk_{"clerk_one", "$argon2id$clerk", domain::OperatorRole::kHrClerk,
                          std::nullopt};
};

TEST_F(OperatorRepositoryTest, EveryFieldRoundTrips) {
  EXPECT_FALSE(read_rows(t_.ctx().db, [](Connection& c) { return any_operator(c); }));
  ASSERT_TRUE(insert(teller_).ok());
  ASSERT_TRUE(insert(clerk_).ok());
  EXPECT_TRUE(read_rows(t_.ctx().db, [](Connection& c) { return any_operator(c); }));
  for (const auto& op : {teller_, clerk_}) {
    const auto got =
        read_rows(t_.ctx().db, [&](Connection& c) { return find_operator(c, op.username); });
    ASSERT_TRUE(got.has_value());
    EXPECT_EQ(got->username, op.username);
    EXPECT_EQ(got->password_hash, op.password_hash);
    EXPECT_EQ(got->role, op.role);
    EXPECT_EQ(got->bank_code, op.bank_code);
  }
}

TEST_F(OperatorRepositoryTest, ATakenUsernameIsAConflictAndAnAbsentOneIsNotFound) {
  ASSERT_TRUE(insert(clerk_).ok());
  auto again = clerk_;
  again.role = domain::OperatorRole::kAdmin;
  const auto status = insert(again);
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().code, ErrorCode::kConflict);
  EXPECT_EQ(
      read_rows(t_.ctx().db, [&](Connection& c) { return find_operator(c, "clerk_one"); })->role,
      domain::OperatorRole::kHrClerk);
  EXPECT_FALSE(read_rows(t_.ctx().db, [&](Connection& c) {
                 return find_operator(c, "nobody");
               }).has_value());
}

TEST_F(OperatorRepositoryTest, ASessionIsFoundByItsHashUntilItExpiresOrIsDeleted) {
  ASSERT_TRUE(insert(teller_).ok());
  const std::string hash_a(32, '\x01'), hash_b(32, '\x02');
  ASSERT_TRUE(write_rows(t_.ctx().db, [&](Connection& c) {
                insert_operator_session(c, hash_a, teller_.username, now_ + 1000);
                insert_operator_session(c, hash_b, teller_.username, now_ + 5000);
              }).ok());
  ASSERT_TRUE(by_session(hash_a, now_).has_value());
  EXPECT_EQ(by_session(hash_a, now_)->username, teller_.username);
  EXPECT_EQ(by_session(hash_a, now_)->bank_code, "105");
  EXPECT_FALSE(by_session(hash_a, now_ + 1000).has_value()) << "expired at its expiry";
  EXPECT_FALSE(by_session(std::string(32, '\x03'), now_).has_value());

  ASSERT_TRUE(write_rows(t_.ctx().db, [&](Connection& c) {
                delete_expired_operator_sessions(c, now_ + 1000);
              }).ok());
  EXPECT_FALSE(by_session(hash_a, now_).has_value()) << "the expired row is gone";
  EXPECT_TRUE(by_session(hash_b, now_).has_value());
  ASSERT_TRUE(
      write_rows(t_.ctx().db, [&](Connection& c) { delete_operator_session(c, hash_b); }).ok());
  EXPECT_FALSE(by_session(hash_b, now_).has_value());
}

TEST_F(OperatorRepositoryTest, R_S6_LoginFailuresAreKeptPerUsernameUntilCleared) {
  const auto failures = [&](std::string_view username) {
    return read_rows(t_.ctx().db, [&](Connection& c) { return find_login_failures(c, username); });
  };
  EXPECT_EQ(failures("clerk_one").failures, 0);
  EXPECT_FALSE(failures("clerk_one").locked_until_ms.has_value());
  ASSERT_TRUE(write_rows(t_.ctx().db, [&](Connection& c) {
                save_login_failures(c, "clerk_one", {3, std::nullopt}, now_);
                save_login_failures(c, "clerk_one", {5, now_ + 900'000}, now_ + 1);
                save_login_failures(c, "other", {1, std::nullopt}, now_);
              }).ok());
  EXPECT_EQ(failures("clerk_one").failures, 5);
  EXPECT_EQ(failures("clerk_one").locked_until_ms, now_ + 900'000);
  ASSERT_TRUE(
      write_rows(t_.ctx().db, [&](Connection& c) { clear_login_failures(c, "clerk_one"); }).ok());
  EXPECT_EQ(failures("clerk_one").failures, 0);
  EXPECT_FALSE(failures("clerk_one").locked_until_ms.has_value());
  EXPECT_EQ(failures("other").failures, 1);
}

}  // namespace
}  // namespace essc::store
