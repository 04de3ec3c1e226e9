// The sandbox SMS inbox is the data folder's, not one process's: two `essc serve` on one
// folder (behind a balancer) each show a code the other sent.
#include "adapters/sandbox_sms.hpp"

#include <gtest/gtest.h>

#include "support/test_platform.hpp"

namespace essc::testing {
namespace {

TEST(SandboxSmsTest, R_S3_TwoServersOnOneFolderShowEachOthersCodes) {
  TempDir dir;
  const auto path = (dir.path() / "sandbox_sms.db").string();
  adapters::SandboxSmsGateway a(path, [] { return std::int64_t{1000}; });
  adapters::SandboxSmsGateway b(path, [] { return std::int64_t{2000}; });
  ASSERT_TRUE(a.send("13800000001", "验证码为123456").ok());
  ASSERT_TRUE(b.send("13800000001", "验证码为654321").ok());
  ASSERT_TRUE(a.send("13800000002", "验证码为111222").ok());
  for (const auto* gateway : {&a, &b}) {
    const auto messages = gateway->messages_to("13800000001");
    ASSERT_EQ(messages.size(), 2u);
    EXPECT_EQ(messages[0].text, "验证码为654321");  // newest first
    EXPECT_EQ(messages[0].at_ms, 2000);
    EXPECT_EQ(messages[1].text, "验证码为123456");
  }
  EXPECT_EQ(b.messages_to("13800000002").size(), 1u);
  EXPECT_TRUE(b.messages_to("13800000003").empty());
}

}  // namespace
}  // namespace essc::testing
