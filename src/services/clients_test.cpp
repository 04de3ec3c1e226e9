// Request signatures (R-S2): the order of checks, replay, clock window, suspension.
#include "services/clients.hpp"

#include <gtest/gtest.h>

#include <map>

#include "common/limits.hpp"
#include "crypto/request_signature.hpp"
#include "domain/client.hpp"
#include "store/audit_log.hpp"
#include "support/test_platform.hpp"

namespace essc::services {
namespace {

class ClientsTest : public ::testing::Test {
 protected:
  ClientsTest() {
    NewClient request{"channel",    "政务APP", "gov",
                      std::nullopt, "330200",  "https://channel.example/hook"};
    client_ = *t_.platform().clients.add(Actor::command_line(), request);
  }

  SignedRequest sign(const std::string& body, std::int64_t timestamp, const std::string& nonce,
                     const std::string& secret) {
    const auto ts = std::to_string(timestamp);
    const auto canonical = crypto::canonical_request("POST", "/v1/ecards?x=1", ts, nonce, body);
    return {client_.client_id, ts,  nonce, crypto::sign_request(secret, canonical), "POST",
            "/v1/ecards?x=1",  body};
  }

  testing::TestPlatform t_;
  domain::Client client_;
};

TEST_F(ClientsTest, R_S2_ValidSignatureAuthenticatesOnce) {
  const auto now = t_.clock().now_seconds();
  const auto request = sign("{}", now, "nonce-0123456789ab", client_.secret);
  auto first = t_.platform().clients.authenticate(request);
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(first->client_id, client_.client_id);
  auto replay = t_.platform().clients.authenticate(request);
  ASSERT_FALSE(replay.ok());
  EXPECT_EQ(replay.error().code, ErrorCode::kNonceReused);
}

TEST_F(ClientsTest, R_S2_TimestampOutsideWindowIsExpired) {
  t_.clock().advance_ms(limits::kSignatureWindowSeconds * 1000);  // the whole window after start-up
  const auto now = t_.clock().now_seconds();
  EXPECT_TRUE(
      t_.platform()
          .clients.authenticate(sign("{}", now - 300, "nonce-edge-000000001", client_.secret))
          .ok());
  EXPECT_EQ(t_.platform()
                .clients.authenticate(sign("{}", now - 301, "nonce-late-000000001", client_.secret))
                .error()
                .code,
            ErrorCode::kSignatureExpired);
  EXPECT_EQ(t_.platform()
                .clients.authenticate(sign("{}", now + 301, "nonce-early-00000001", client_.secret))
                .error()
                .code,
            ErrorCode::kSignatureExpired);
}

// Without a journal (this platform has none; `essc serve` opens one), the nonces of an
// earlier process are gone: what was signed before start-up could be a replay of a
// request that process answered, so it is refused inside the window too.
TEST_F(ClientsTest, R_S2_RequestSignedBeforeStartUpIsExpired) {
  if (t_.postgres_schema())
    GTEST_SKIP() << "the shared store forgets no nonce when a server starts";
  const auto now = t_.clock().now_seconds();
  auto refused = t_.platform().clients.authenticate(
      sign("{}", now - 1, "nonce-before-start-01", client_.secret));
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, ErrorCode::kSignatureExpired);
  EXPECT_TRUE(t_.platform()
                  .clients.authenticate(sign("{}", now, "nonce-before-start-01", client_.secret))
                  .ok());
}

TEST_F(ClientsTest, R_S2_TamperedBodyOrWrongSecretIsUnauthenticated) {
  const auto now = t_.clock().now_seconds();
  auto request = sign("{\"a\":1}", now, "nonce-tamper-0000001", client_.secret);
  request.body = "{\"a\":2}";
  EXPECT_EQ(t_.platform().clients.authenticate(request).error().code, ErrorCode::kUnauthenticated);
  EXPECT_EQ(t_.platform()
                .clients.authenticate(sign("{}", now, "nonce-wrong-00000001", "not-the-secret"))
                .error()
                .code,
            ErrorCode::kUnauthenticated);
  // A forged request does not burn the nonce for the real client.
  EXPECT_TRUE(t_.platform()
                  .clients.authenticate(sign("{}", now, "nonce-wrong-00000001", client_.secret))
                  .ok());
}

TEST_F(ClientsTest, R_S2_SuspendedClientIsRefusedAndResumeRestores) {
  ASSERT_TRUE(
      t_.platform().clients.set_suspended(Actor::command_line(), client_.client_id, true).ok());
  const auto now = t_.clock().now_seconds();
  EXPECT_EQ(t_.platform()
                .clients.authenticate(sign("{}", now, "nonce-suspended-0001", client_.secret))
                .error()
                .code,
            ErrorCode::kClientSuspended);
  ASSERT_TRUE(
      t_.platform().clients.set_suspended(Actor::command_line(), client_.client_id, false).ok());
  EXPECT_TRUE(t_.platform()
                  .clients.authenticate(sign("{}", now, "nonce-resumed-000001", client_.secret))
                  .ok());
}

TEST_F(ClientsTest, R_S2_RotatedSecretReplacesTheOldOne) {
  auto rotated = t_.platform().clients.rotate_secret(Actor::command_line(), client_.client_id);
  ASSERT_TRUE(rotated.ok());
  const auto now = t_.clock().now_seconds();
  EXPECT_EQ(t_.platform()
                .clients.authenticate(sign("{}", now, "nonce-old-secret-001", client_.secret))
                .error()
                .code,
            ErrorCode::kUnauthenticated);
  EXPECT_TRUE(t_.platform()
                  .clients.authenticate(sign("{}", now, "nonce-new-secret-001", rotated->secret))
                  .ok());
}

TEST_F(ClientsTest, R_S6_SignatureFailuresAreAudited) {
  const auto now = t_.clock().now_seconds();
  (void)t_.platform().clients.authenticate(sign("{}", now, "nonce-audited-000001", "wrong"));
  t_.platform().refusals.flush(true);
  const auto entries = t_.audit_entries();
  ASSERT_FALSE(entries.empty());
  EXPECT_EQ(entries.back().action, "client.authenticate");
  EXPECT_EQ(entries.back().target, client_.client_id);
  EXPECT_TRUE(entries.back().outcome.starts_with("UNAUTHENTICATED count=1 minute="))
      << entries.back().outcome;
}

// R-S6: the audit log's reader sees the channel's name beside a "client:<id>" actor; other
// actors and ids nobody registered are left without one.
TEST_F(ClientsTest, R_S6_AuditActorsAreNamedByTheirClient) {
  const auto actor = client_audit_name(client_.client_id);
  EXPECT_EQ(actor, Actor::of_client(client_).audit_name);
  const auto names = t_.platform().clients.names_of_actors(
      {actor, "operator:alice", "client:ch_nobody", "cli", actor});
  EXPECT_EQ(names, (std::map<std::string, std::string>{{actor, "政务APP"}}));
}

// Finding 8: 2,000 bad signatures were 2,000 audit rows in 0.7 s. Refusals are counted
// and written once a minute per source and reason; made-up client ids share one source.
TEST_F(ClientsTest, R_S6_RefusalFloodsGrowTheAuditLogAtAFixedRate) {
  auto& clients = t_.platform().clients;
  const auto before = t_.audit_entries().size();
  const auto now = t_.clock().now_seconds();
  for (int i = 0; i < 2000; ++i) {
    (void)clients.authenticate(
        sign("{}", now, "nonce-flood-" + std::to_string(100000 + i), "wrong"));
    auto stranger = sign("{}", now, "nonce-stranger-" + std::to_string(100000 + i), "wrong");
    stranger.client_id = "ch_made_up_" + std::to_string(i);
    (void)clients.authenticate(stranger);
  }
  (void)clients.authenticate(sign("{}", now - 1000, "nonce-flood-expired-1", client_.secret));
  EXPECT_EQ(t_.audit_entries().size(), before) << "nothing is written while the minute lasts";

  t_.clock().advance_ms(limits::kRefusalAuditMinuteMs);
  (void)clients.authenticate(sign("{}", t_.clock().now_seconds(), "nonce-flood-next-01", "wrong"));
  std::map<std::string, std::string> outcome_of;
  for (const auto& e : t_.audit_entries()) {
    if (e.action == "client.authenticate")
      outcome_of[e.target + " " + e.outcome.substr(0, e.outcome.find(' '))] = e.outcome;
  }
  EXPECT_EQ(t_.audit_entries().size(), before + 3)
      << "one entry per source and reason of the minute that ended";
  EXPECT_TRUE(outcome_of[client_.client_id + " UNAUTHENTICATED"].starts_with(
      "UNAUTHENTICATED count=2000 "));
  EXPECT_TRUE(outcome_of["(unknown) UNAUTHENTICATED"].starts_with("UNAUTHENTICATED count=2000 "));
  EXPECT_TRUE(outcome_of["(unknown) SIGNATURE_EXPIRED"].starts_with("SIGNATURE_EXPIRED count=1 "));

  std::uint64_t unauthenticated = 0;
  for (const auto& total : t_.platform().refusals.totals()) {
    if (total.source == "client" && total.reason == "UNAUTHENTICATED")
      unauthenticated = total.count;
  }
  EXPECT_EQ(unauthenticated, 4001u) << "every refusal is counted";
}

TEST_F(ClientsTest, R_S4_PerClientRateLimitAnswersRetryAfterAndAuditsOnce) {
  auto& limited = t_.platform().clients;
  ASSERT_TRUE(
      limited.update(Actor::command_line(), client_.client_id, {std::nullopt, std::nullopt, 3})
          .ok());
  const auto now = t_.clock().now_seconds();
  for (int i = 0; i < 3; ++i) {
    ASSERT_TRUE(limited
                    .authenticate(
                        sign("{}", now, "nonce-rate-00000000" + std::to_string(i), client_.secret))
                    .ok());
  }
  for (int i = 3; i < 6; ++i) {
    auto refused = limited.authenticate(
        sign("{}", now, "nonce-rate-00000000" + std::to_string(i), client_.secret));
    ASSERT_FALSE(refused.ok());
    EXPECT_EQ(refused.error().code, ErrorCode::kRateLimited);
    EXPECT_GT(*refused.error().extras.retry_after, 0);
  }
  t_.platform().refusals.flush(true);
  int audited = 0;
  for (const auto& e : t_.audit_entries())
    audited += e.outcome.starts_with("RATE_LIMITED count=3 ");
  EXPECT_EQ(audited, 1);
  t_.clock().advance_ms(limits::kClientRateWindowMs);
  EXPECT_TRUE(limited
                  .authenticate(
                      sign("{}", t_.clock().now_seconds(), "nonce-rate-next-00001", client_.secret))
                  .ok());
}

// A provincial app calls far more than a community pharmacy: each client has its own
// quota a minute, set at registration and changed by an administrator.
TEST_F(ClientsTest, R_S4_EachClientHasItsOwnRequestQuota) {
  auto& clients = t_.platform().clients;
  EXPECT_EQ(client_.requests_per_minute, limits::kClientRequestsPerMinuteDefault);
  NewClient pharmacy{"institution", "社区药房", std::nullopt, "pharmacy", "330200",
                     std::nullopt,  2};
  const auto small = *clients.add(Actor::command_line(), pharmacy);
  EXPECT_EQ(small.requests_per_minute, 2);
  const auto now = t_.clock().now_seconds();
  auto call = [&](const domain::Client& c, const std::string& nonce) {
    const auto ts = std::to_string(now);
    const auto canonical = crypto::canonical_request("GET", "/v1/clients/me", ts, nonce, "");
    return clients.authenticate({c.client_id, ts, nonce, crypto::sign_request(c.secret, canonical),
                                 "GET", "/v1/clients/me", ""});
  };
  EXPECT_TRUE(call(small, "nonce-quota-00000001").ok());
  EXPECT_TRUE(call(small, "nonce-quota-00000002").ok());
  EXPECT_EQ(call(small, "nonce-quota-00000003").error().code, ErrorCode::kRateLimited);
  for (int i = 0; i < 5; ++i)
    EXPECT_TRUE(call(client_, "nonce-quota-big-0000" + std::to_string(i)).ok());

  const auto raised =
      clients.update(Actor::command_line(), small.client_id, {std::nullopt, std::nullopt, 4});
  ASSERT_TRUE(raised.ok());
  EXPECT_EQ(raised->requests_per_minute, 4);
  EXPECT_TRUE(call(small, "nonce-quota-00000004").ok()) << "the new quota applies at once";

  for (const std::int64_t bad :
       {std::int64_t{0}, std::int64_t{-5}, limits::kClientRequestsPerMinuteMax + 1}) {
    EXPECT_EQ(
        clients.update(Actor::command_line(), small.client_id, {std::nullopt, std::nullopt, bad})
            .error()
            .extras.field,
        "requests_per_minute");
    pharmacy.requests_per_minute = bad;
    EXPECT_EQ(clients.add(Actor::command_line(), pharmacy).error().extras.field,
              "requests_per_minute");
  }
  EXPECT_EQ(clients
                .update(Actor::command_line(), "in_nobody",
                        {std::string("x"), std::nullopt, std::nullopt})
                .error()
                .code,
            ErrorCode::kNotFound);
}

// Finding 16: outside sandbox mode a webhook may not go to this machine or its network.
TEST_F(ClientsTest, R_S2_PrivateWebhookTargetsAreRefusedOutsideSandboxMode) {
  auto& clients = t_.platform().clients;
  clients.allow_private_webhook_targets(false);
  NewClient metadata{"channel",    "x",          "gov",
                     std::nullopt, std::nullopt, "http://169.254.169.254/latest/"};
  EXPECT_EQ(clients.add(Actor::command_line(), metadata).error().extras.field, "webhook_url");
  EXPECT_EQ(clients
                .update(Actor::command_line(), client_.client_id,
                        {std::nullopt, "http://[::1]:8080/", std::nullopt})
                .error()
                .extras.field,
            "webhook_url");
  clients.allow_private_webhook_targets(true);
  EXPECT_TRUE(clients.add(Actor::command_line(), metadata).ok());
}

TEST_F(ClientsTest, RejectsBadRegistrations) {
  auto& clients = t_.platform().clients;
  EXPECT_EQ(clients
                .add(Actor::command_line(),
                     {"bank", "x", std::nullopt, std::nullopt, std::nullopt, std::nullopt})
                .error()
                .extras.field,
            "kind");
  EXPECT_EQ(clients
                .add(Actor::command_line(),
                     {"channel", "x", "wallet", std::nullopt, std::nullopt, std::nullopt})
                .error()
                .extras.field,
            "channel_type");
  EXPECT_EQ(clients
                .add(Actor::command_line(),
                     {"institution", "药店", std::nullopt, "pharmacy", "999999", std::nullopt})
                .error()
                .extras.field,
            "region_code");
  EXPECT_EQ(clients
                .add(Actor::command_line(),
                     {"channel", "x", "gov", std::nullopt, std::nullopt, "ftp://x"})
                .error()
                .extras.field,
            "webhook_url");
}

}  // namespace
}  // namespace essc::services
