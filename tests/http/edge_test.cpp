// The HTTP edge against the real server on a loopback port: what an unauthenticated
// caller can make the server do before any login (metrics series, request framing,
// HEAD), found by attacking `essc serve --sandbox`.
#include <gtest/gtest.h>

#include <thread>
#include <vector>

#include "common/limits.hpp"
#include "http/site.hpp"
#include "support/test_server.hpp"

namespace essc::testing {
namespace {

// The status of the first answer in raw response bytes, and how many answers they hold.
int first_status(const std::string& raw) {
  return raw.size() > 12 ? std::stoi(raw.substr(9, 3)) : 0;
}

std::size_t answers_in(const std::string& raw) {
  std::size_t count = 0;
  for (auto at = raw.find("HTTP/1.1 "); at != std::string::npos; at = raw.find("HTTP/1.1 ", at + 1))
    ++count;
  return count;
}

// Finding 3: a method string from the request line became a label of its own, so random
// methods grew /metrics without bound. Unknown methods are one label and a 405.
TEST(EdgeTest, MetricsLabelsNeverComeFromUnvalidatedMethods) {
  TestServer server;
  const auto before = server.call("GET", "/metrics").body.size();
  for (int i = 0; i < 50; ++i) {
    const std::string method =
        "X" + std::string(2000, static_cast<char>('A' + i % 26)) + std::to_string(i);
    const auto answer = server.call(method, "/v1/clients/me");
    EXPECT_EQ(answer.status, 405);
    EXPECT_EQ(answer.error_code(), "METHOD_NOT_ALLOWED");
    EXPECT_EQ(answer.header("allow"), "GET, HEAD, POST, PUT, PATCH, DELETE");
  }
  const auto metrics = server.call("GET", "/metrics").body;
  EXPECT_LT(metrics.size(), before + 8 * 1024) << "metrics grew with the methods sent";
  EXPECT_NE(
      metrics.find(R"(essc_http_requests_total{method="other",route="unmatched",status="405"} 50)"),
      std::string::npos);
}

// Finding 12 (RFC 9112 §6.3): a transfer coding the server does not apply left the body
// unread, and a request hidden in it was answered. Only a final `chunked` is framing.
TEST(EdgeTest, RFC9112_AnyTransferCodingButAFinalChunkedIs400AndCloses) {
  TestServer server;
  const std::string smuggled = "GET /metrics HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
  for (const std::string coding : {"xchunked", "gzip", "chunked, gzip", "gzip, chunked",
                                   "chunked\r\nTransfer-Encoding: chunked"}) {
    const auto raw =
        send_raw(server.port(),
                 "POST /v1/operator/sessions HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: " + coding +
                     "\r\n\r\n" + smuggled);
    EXPECT_EQ(first_status(raw), 400) << coding << ": " << raw.substr(0, 200);
    EXPECT_EQ(answers_in(raw), 1u) << coding << ": the hidden request was answered";
    EXPECT_EQ(raw.find("essc_http_requests_total"), std::string::npos) << coding;
  }
  const std::string body = R"({"username":"nobody","password":"wrong-password"})";
  char size[16];
  std::snprintf(size, sizeof size, "%zx", body.size());
  const auto chunked =
      send_raw(server.port(),
               "POST /v1/operator/sessions HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
               "Transfer-Encoding: Chunked\r\n\r\n" +
                   std::string(size) + "\r\n" + body + "\r\n0\r\n\r\n");
  EXPECT_EQ(first_status(chunked), 401) << chunked.substr(0, 200);
}

// Finding 17: HEAD is answered as GET would be, without the body (RFC 9110 §9.3.2).
TEST(EdgeTest, RFC9110_HeadOnHealthReadinessAndPagesIsAnsweredLikeGet) {
  TestPlatform platform;
  http::Api api(platform.platform());
  http::Site site(api, http::StaticSite(), std::nullopt);
  auto server = start_loopback_server([&site](http::Request& r) { return site.handle(r); });
  for (const std::string target : {"/healthz", "/readyz", "/", "/app/"}) {
    const auto get = http_request(server->port(), "GET", target);
    const auto head = http_request(server->port(), "HEAD", target);
    ASSERT_EQ(get.status, 200) << target;
    EXPECT_EQ(head.status, 200) << target;
    EXPECT_TRUE(head.body.empty()) << target;
    EXPECT_EQ(head.header("content-length"), std::to_string(get.body.size())) << target;
    EXPECT_EQ(head.header("content-type"), get.header("content-type")) << target;
  }
}

// Finding 8: every failed signature or bearer token was an audit row before any limit.
// A parallel flood of them adds nothing while the minute lasts; /metrics counts them all.
TEST(EdgeTest, R_S6_ARefusalFloodDoesNotGrowTheAuditLogAndIsCounted) {
  TestServer server;
  auto& platform = server.platform().platform();
  const auto made =
      platform.clients.add(services::Actor::command_line(),
                           {"channel", "政务APP", "gov", std::nullopt, "330200", std::nullopt});
  ASSERT_TRUE(made.ok());
  const auto audited = [&] { return server.platform().audit_entries().size(); };
  const auto before = audited();
  constexpr int kThreads = 4, kEach = 100;
  std::vector<std::thread> flood;
  for (int t = 0; t < kThreads; ++t) {
    flood.emplace_back([&] {
      for (int i = 0; i < kEach; ++i) {
        EXPECT_EQ(server.signed_call(made->client_id, "wrong", "GET", "/v1/clients/me").status,
                  401);
        EXPECT_EQ(server.as("not-a-token", "GET", "/v1/audit").status, 401);
      }
    });
  }
  for (auto& t : flood) t.join();
  EXPECT_EQ(audited(), before);
  const auto metrics = server.call("GET", "/metrics").body;
  EXPECT_NE(
      metrics.find(R"(essc_auth_refusals_total{source="client",reason="UNAUTHENTICATED"} 400)"),
      std::string::npos)
      << metrics.substr(metrics.find("essc_auth_refusals_total"));
  EXPECT_NE(
      metrics.find(R"(essc_auth_refusals_total{source="operator",reason="SESSION_INVALID"} 400)"),
      std::string::npos);
  EXPECT_EQ(platform.refusals.flush(true), 2u);
  EXPECT_EQ(audited(), before + 2);
}

}  // namespace
}  // namespace essc::testing
