// The client that calls external services and channels' webhooks, against a real
// server on a loopback port: answers, refusals and deadlines map to UNAVAILABLE.
#include "adapters/http_client.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "adapters/http_services.hpp"
#include "support/test_server.hpp"

namespace essc::adapters {
namespace {

class HttpClientTest : public ::testing::Test {
 protected:
  HttpClientTest() {
    server_ = testing::start_loopback_server([](http::Request& r) {
      http::Response answer;
      if (r.target == "/slow") std::this_thread::sleep_for(std::chrono::milliseconds(800));
      answer.status = r.target == "/fail" || r.target.starts_with("/broken/") ? 500 : 200;
      answer.body = r.method + " " + r.target + " " + r.body + " " +
                    std::string(r.header("x-test").value_or(""));
      // A vendor's face service, SMS gateway and bank, answering by what they were sent.
      const bool authorised = r.header("authorization") == "Bearer key-1";
      if (r.target.starts_with("/face")) {
        answer.body = !authorised ? R"({"result":"denied"})"
                      : r.body.find("police") == std::string::npos
                          ? R"({"result":"no_reference_photo"})"
                          : R"({"result":"match"})";
      } else if (r.target == "/sms") {
        answer.status = authorised ? 202 : 401;
      } else if (r.target == "/bank/four-factor") {
        answer.body = r.body.find("13900139000") != std::string::npos ? R"({"match":true})"
                                                                      : R"({"match":false})";
      } else if (r.target == "/bank/debits") {
        const bool poor = r.body.find("\"amount_fen\":999999") != std::string::npos;
        answer.status = poor ? 422 : 200;
        answer.body = poor ? R"({"error":"insufficient_funds"})" : "{}";
      } else if (r.target == "/bank/credits") {
        answer.status = 409;  // the reference was applied before
      }
      return answer;
    });
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
  EXPECT_EQ(http_call({"POST", "http://127.0.0.1:9/", {}, "", 500}).error().code,
            ErrorCode::kUnavailable);
  EXPECT_EQ(http_call({"POST", "not a url", {}, "", 500}).error().code, ErrorCode::kUnavailable);
  EXPECT_EQ(http_call({"POST", "ftp://127.0.0.1/", {}, "", 500}).error().code,
            ErrorCode::kUnavailable);
  // TLS to a plain-HTTP port fails the handshake cleanly.
  auto tls = http_call(
      {"POST", "https://127.0.0.1:" + std::to_string(server_->port()) + "/", {}, "", 1000});
  EXPECT_EQ(tls.error().code, ErrorCode::kUnavailable);
}

TEST_F(HttpClientTest, R_E6_FaceAnswersMapToOutcomesAndFailuresOfferSms) {
  FaceRequest request{"11010519491231002X", "张三", true, false, "image"};
  EXPECT_EQ(HttpFaceVerifier({base() + "/face", "key-1", 1000}).verify(request),
            FaceOutcome::kMatch);
  request.photo_police = false;
  EXPECT_EQ(HttpFaceVerifier({base() + "/face", "key-1", 1000}).verify(request),
            FaceOutcome::kNoReferencePhoto);
  EXPECT_EQ(HttpFaceVerifier({base() + "/face", "wrong", 1000}).verify(request),
            FaceOutcome::kServiceFailure);
  EXPECT_EQ(HttpFaceVerifier({base() + "/slow", "key-1", 200}).verify(request),
            FaceOutcome::kServiceFailure);
  EXPECT_EQ(HttpFaceVerifier({"http://127.0.0.1:9/face", "key-1", 200}).verify(request),
            FaceOutcome::kServiceFailure);
}

TEST_F(HttpClientTest, R_E4_SmsAndBankOverHttp) {
  EXPECT_TRUE(HttpSmsGateway({base() + "/sms", "key-1", 1000}).send("13900139000", "code").ok());
  EXPECT_EQ(
      HttpSmsGateway({base() + "/sms", "wrong", 1000}).send("13900139000", "code").error().code,
      ErrorCode::kUnavailable);
  HttpBank bank({base() + "/bank", "key-1", 1000});
  const FourFactors typed{"张三", "11010519491231002X", "6222021234567890128", "13900139000"};
  EXPECT_EQ(bank.four_factor_check(typed, typed).value(), true);
  auto other = typed;
  other.phone = "13700137000";
  EXPECT_EQ(bank.four_factor_check(other, typed).value(), false);
  EXPECT_TRUE(bank.debit("6222021234567890128", 100, "ref-1").ok());
  EXPECT_EQ(bank.debit("6222021234567890128", 999999, "ref-2").error().code,
            ErrorCode::kInsufficientFunds);
  EXPECT_TRUE(bank.credit("6222021234567890128", 100, "ref-3").ok());
  EXPECT_EQ(HttpBank({base() + "/broken", "key-1", 1000})
                .debit("6222021234567890128", 1, "r")
                .error()
                .code,
            ErrorCode::kUnavailable);
}

}  // namespace
}  // namespace essc::adapters
