// The client that calls external services and channels' webhooks, against a real
// server on a loopback port: answers, refusals and deadlines map to UNAVAILABLE.
#include "adapters/http_client.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "http/server.hpp"

namespace essc::adapters {
namespace {

class HttpClientTest : public ::testing::Test {
 protected:
  HttpClientTest() {
    http::ServerOptions options;
    options.host = "127.0.0.1";
    options.port = 0;
    options.io_threads = 1;
    options.worker_threads = 2;
    server_ = std::make_unique<http::Server>(options, [](http::Request& r) {
      http::Response answer;
      if (r.target == "/slow") std::this_thread::sleep_for(std::chrono::milliseconds(800));
      answer.status = r.target == "/fail" ? 500 : 200;
      answer.body = r.method + " " + r.target + " " + r.body + " " + std::string(r.header("x-test").value_or(""));
      return answer;
    });
    server_->start();
  }
  ~HttpClientTest() override { server_->stop(); }
  std::string base() const { return "http://127.0.0.1:" + std::to_string(server_->port()); }

  std::unique_ptr<http::Server> server_;
};

TEST_F(HttpClientTest, PostsAndReadsTheAnswer) {
  auto reply = http_call({"POST", base() + "/hook?x=1", {{"X-Test", "yes"}}, "{\"a\":1}", 2000});
  ASSERT_TRUE(reply.ok());
  EXPECT_EQ(reply->status, 200);
  EXPECT_EQ(reply->body, "POST /hook?x=1 {\"a\":1} yes");
  auto failed = http_call({"POST", base() + "/fail", {}, "", 2000});
  ASSERT_TRUE(failed.ok());
  EXPECT_EQ(failed->status, 500);
}

TEST_F(HttpClientTest, DeadlinesRefusalsAndBadUrlsAreUnavailable) {
  const auto started = std::chrono::steady_clock::now();
  auto slow = http_call({"POST", base() + "/slow", {}, "", 200});
  EXPECT_EQ(slow.error().code, ErrorCode::kUnavailable);
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::milliseconds(700));
  EXPECT_EQ(http_call({"POST", "http://127.0.0.1:9/", {}, "", 500}).error().code, ErrorCode::kUnavailable);
  EXPECT_EQ(http_call({"POST", "not a url", {}, "", 500}).error().code, ErrorCode::kUnavailable);
  EXPECT_EQ(http_call({"POST", "ftp://127.0.0.1/", {}, "", 500}).error().code, ErrorCode::kUnavailable);
  // TLS to a plain-HTTP port fails the handshake cleanly.
  auto tls = http_call({"POST", "https://127.0.0.1:" + std::to_string(server_->port()) + "/", {}, "", 1000});
  EXPECT_EQ(tls.error().code, ErrorCode::kUnavailable);
}

}  // namespace
}  // namespace essc::adapters
