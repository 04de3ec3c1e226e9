// Operators: roles, hashed passwords, sessions (API.md "Authentication"; R-W5, R-S6).
#include "services/operators.hpp"

#include <gtest/gtest.h>

#include "support/test_platform.hpp"

namespace essc::services {
namespace {

using store::OperatorRole;

TEST(Operators, R_W5_LoginIssuesAnExpiringSessionAndLogoutEndsIt) {
  testing::TestPlatform t;
  t.make_operator("alice", OperatorRole::kAdmin);
  auto& ops = t.platform().operators;
  auto session = ops.login("alice", testing::kOperatorPassword);
  ASSERT_TRUE(session.ok());
  EXPECT_EQ(session->expires_at_ms, t.clock().now_ms() + 8 * 3600 * 1000);
  auto who = ops.authenticate(session->token);
  ASSERT_TRUE(who.ok());
  EXPECT_EQ(who->username, "alice");
  EXPECT_TRUE(who->password_hash.starts_with("$argon2id$"));

  t.clock().advance_ms(8 * 3600 * 1000);
  EXPECT_EQ(ops.authenticate(session->token).error().code, ErrorCode::kSessionInvalid);

  auto again = ops.login("alice", testing::kOperatorPassword);
  ASSERT_TRUE(ops.logout(*who, again->token).ok());
  EXPECT_EQ(ops.authenticate(again->token).error().code, ErrorCode::kSessionInvalid);
}

TEST(Operators, R_S6_WrongPasswordAndUnknownUserAnswerAlikeAndAreAudited) {
  testing::TestPlatform t;
  t.make_operator("alice", OperatorRole::kAdmin);
  auto& ops = t.platform().operators;
  EXPECT_EQ(ops.login("alice", "wrong-password").error().code, ErrorCode::kUnauthenticated);
  EXPECT_EQ(ops.login("nobody", "wrong-password").error().code, ErrorCode::kUnauthenticated);
  const auto page = t.platform().audit.list({});
  int failures = 0;
  for (const auto& e : page.items) failures += e.action == "operator.login" && e.outcome == "UNAUTHENTICATED";
  EXPECT_EQ(failures, 2);
}

TEST(Operators, TellersNeedABankAndOthersMustNotHaveOne) {
  testing::TestPlatform t;
  auto& ops = t.platform().operators;
  const auto cli = Actor::command_line();
  EXPECT_EQ(ops.add(cli, {"t1", testing::kOperatorPassword, "bank_teller", std::nullopt}).error().extras.field,
            "bank_code");
  EXPECT_EQ(ops.add(cli, {"c1", testing::kOperatorPassword, "hr_clerk", "NBCB"}).error().extras.field, "bank_code");
  EXPECT_EQ(ops.add(cli, {"c1", "short", "hr_clerk", std::nullopt}).error().extras.field, "password");
  EXPECT_EQ(ops.add(cli, {"c 1", testing::kOperatorPassword, "hr_clerk", std::nullopt}).error().extras.field,
            "username");
  EXPECT_EQ(ops.add(cli, {"c1", testing::kOperatorPassword, "root", std::nullopt}).error().extras.field, "role");
  ASSERT_TRUE(ops.add(cli, {"t1", testing::kOperatorPassword, "bank_teller", "nbcb"}).ok());
  EXPECT_EQ(ops.add(cli, {"t1", testing::kOperatorPassword, "bank_teller", "NBCB"}).error().code,
            ErrorCode::kConflict);
}

}  // namespace
}  // namespace essc::services
