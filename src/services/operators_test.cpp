// Operators: roles, hashed passwords, sessions (API.md "Authentication"; R-W5, R-S6).
#include "services/operators.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <thread>

#include "common/limits.hpp"
#include "domain/operator.hpp"
#include "support/test_platform.hpp"

namespace essc::services {
namespace {

using domain::OperatorRole;

TEST(Operators, R_W5_LoginIssuesAnExpiringSessionAndLogoutEndsIt) {
  testing::TestPlatform t;
  t.make_operator("alice", domain::OperatorRole::kAdmin);
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

// Failed logins are audited counted, per operator (or unknown username) and minute, so
// guessing cannot grow the audit log faster than a fixed rate.
TEST(Operators, R_S6_WrongPasswordAndUnknownUserAnswerAlikeAndAreAuditedCounted) {
  testing::TestPlatform t;
  t.make_operator("alice", domain::OperatorRole::kAdmin);
  auto& ops = t.platform().operators;
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(ops.login("alice", "wrong-password").error().code, ErrorCode::kUnauthenticated);
    EXPECT_EQ(ops.login("nobody" + std::to_string(i), "wrong-password").error().code,
              ErrorCode::kUnauthenticated);
  }
  t.platform().refusals.flush(/*everything=*/true);
  std::vector<std::string> rows;
  for (const auto& e : t.audit_entries()) {
    if (e.action == "operator.authenticate")
      rows.push_back(e.target + " " + e.outcome.substr(0, e.outcome.find(" minute")));
  }
  std::sort(rows.begin(), rows.end());
  EXPECT_EQ(rows, (std::vector<std::string>{"(unknown) UNAUTHENTICATED count=3",
                                            "alice UNAUTHENTICATED count=3"}));
}

// 200 wrong root passwords in 2.5 s, then the right one worked at once. Now ten in a row
// lock the username for 15 minutes, the right password included; the lock is audited.
TEST(Operators, R_S6_TenFailedLoginsLockTheUsernameForFifteenMinutes) {
  testing::TestPlatform t;
  t.make_operator("root", domain::OperatorRole::kAdmin);
  auto& ops = t.platform().operators;
  for (int i = 0; i < limits::kOperatorLoginFailuresMax; ++i) {
    EXPECT_EQ(ops.login("root", "wrong-password").error().code, ErrorCode::kUnauthenticated) << i;
  }
  auto locked = ops.login("root", testing::kOperatorPassword);
  ASSERT_FALSE(locked.ok());
  EXPECT_EQ(locked.error().code, ErrorCode::kRateLimited);
  EXPECT_EQ(locked.error().extras.retry_after, limits::kOperatorLoginLockMs / 1000);
  // An unknown username locks alike, so the lock tells nothing of who exists.
  for (int i = 0; i < limits::kOperatorLoginFailuresMax; ++i)
    (void)ops.login("nobody", "wrong-password");
  EXPECT_EQ(ops.login("nobody", "wrong-password").error().code, ErrorCode::kRateLimited);
  int locks = 0;
  for (const auto& e : t.audit_entries()) locks += e.action == "operator.lock";
  EXPECT_EQ(locks, 2);

  t.clock().advance_ms(limits::kOperatorLoginLockMs - 1000);
  EXPECT_EQ(ops.login("root", testing::kOperatorPassword).error().code, ErrorCode::kRateLimited);
  t.clock().advance_ms(1000);
  ASSERT_TRUE(ops.login("root", testing::kOperatorPassword).ok());
  // A success starts the count again.
  for (int i = 0; i < limits::kOperatorLoginFailuresMax - 1; ++i)
    (void)ops.login("root", "wrong-password");
  ASSERT_TRUE(ops.login("root", testing::kOperatorPassword).ok());
  EXPECT_EQ(ops.login("root", "wrong-password").error().code, ErrorCode::kUnauthenticated);
}

// The attempt is reserved in the store before the hash: a parallel burst of wrong
// passwords checks no more than the limit, and the right one is then refused too.
TEST(Operators, R_S6_AParallelBurstGetsNoMoreTriesThanTheLock) {
  testing::TestPlatform t;
  t.make_operator("root", domain::OperatorRole::kAdmin);
  auto& ops = t.platform().operators;
  std::atomic<int> unauthenticated{0}, limited{0};
  std::vector<std::thread> burst;
  for (int i = 0; i < 40; ++i) {
    burst.emplace_back([&] {
      const auto code = ops.login("root", "wrong-password").error().code;
      (code == ErrorCode::kUnauthenticated ? unauthenticated : limited)++;
    });
  }
  for (auto& thread : burst) thread.join();
  EXPECT_EQ(unauthenticated.load(), limits::kOperatorLoginFailuresMax);
  EXPECT_EQ(limited.load(), 40 - limits::kOperatorLoginFailuresMax);
  EXPECT_EQ(ops.login("root", testing::kOperatorPassword).error().code, ErrorCode::kRateLimited);
}

TEST(Operators, TellersNeedABankAndOthersMustNotHaveOne) {
  testing::TestPlatform t;
  auto& ops = t.platform().operators;
  const auto cli = Actor::command_line();
  EXPECT_EQ(ops.add(cli, {"t1", testing::kOperatorPassword, "bank_teller", std::nullopt})
                .error()
                .extras.field,
            "bank_code");
  EXPECT_EQ(
      ops.add(cli, {"c1", testing::kOperatorPassword, "hr_clerk", "NBCB"}).error().extras.field,
      "bank_code");
  EXPECT_EQ(ops.add(cli, {"c1", "short", "hr_clerk", std::nullopt}).error().extras.field,
            "password");
  EXPECT_EQ(ops.add(cli, {"c 1", testing::kOperatorPassword, "hr_clerk", std::nullopt})
                .error()
                .extras.field,
            "username");
  EXPECT_EQ(
      ops.add(cli, {"c1", testing::kOperatorPassword, "root", std::nullopt}).error().extras.field,
      "role");
  ASSERT_TRUE(ops.add(cli, {"t1", testing::kOperatorPassword, "bank_teller", "nbcb"}).ok());
  EXPECT_EQ(ops.add(cli, {"t1", testing::kOperatorPassword, "bank_teller", "NBCB"}).error().code,
            ErrorCode::kConflict);
}

}  // namespace
}  // namespace essc::services
