// R-L6: lifecycle changes reach every affected channel as signed webhooks, at least
// once, retried with backoff after a failure; a channel that is down does not slow the
// change. The receiver is a real HTTP server on a loopback port.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <condition_variable>
#include <mutex>

#include "crypto/encoding.hpp"
#include "crypto/hash.hpp"
#include "domain/operator.hpp"
#include "services/outbox_worker.hpp"
#include "store/notification_repository.hpp"
#include "support/test_server.hpp"

namespace essc::testing {
namespace {

using domain::OperatorRole;

// A channel backend: records every webhook and answers 500 to the first delivery of
// each event, 200 afterwards.
class Receiver {
 public:
  Receiver() : server_(start_loopback_server([this](http::Request& r) { return receive(r); })) {}
  ~Receiver() { server_->stop(); }

  std::string url() const {
    return "http://127.0.0.1:" + std::to_string(server_->port()) + "/hook";
  }

  struct Delivery {
    std::string event_id;
    std::string signature;
    std::string timestamp;
    std::string signature_v2;
    std::string body;
    int answered = 0;
  };
  std::vector<Delivery> deliveries() {
    std::lock_guard lock(mutex_);
    return deliveries_;
  }

 private:
  http::Response receive(http::Request& r) {
    std::lock_guard lock(mutex_);
    const std::string event_id(r.header("x-essc-event-id").value_or(""));
    int seen = 0;
    for (const auto& d : deliveries_) seen += d.event_id == event_id;
    http::Response answer;
    answer.status = seen == 0 ? 500 : 200;
    deliveries_.push_back({event_id, std::string(r.header("x-essc-signature").value_or("")),
                           std::string(r.header("x-essc-webhook-timestamp").value_or("")),
                           std::string(r.header("x-essc-signature-v2").value_or("")), r.body,
                           answer.status});
    return answer;
  }
  std::mutex mutex_;
  std::vector<Delivery> deliveries_;
  std::unique_ptr<http::Server> server_;
};

// Posts with the test's own socket client: a real HTTP request to the receiver.
Result<int> post(const services::WebhookRequest& request) {
  const auto rest = request.url.substr(std::string("http://127.0.0.1:").size());
  const auto slash = rest.find('/');
  const auto port = static_cast<std::uint16_t>(std::stoi(rest.substr(0, slash)));
  Headers headers(request.headers.begin(), request.headers.end());
  return http_request(port, "POST", rest.substr(slash), request.body, headers).status;
}

TEST(Webhooks, R_L6_LossAndCancelLossReachTwoChannelsSignedAndRetried) {
  TestServer server;
  Receiver gov_backend, bank_backend;
  auto& p = server.platform();
  const auto admin = server.login_as(domain::OperatorRole::kAdmin);
  const auto clerk = server.login_as(domain::OperatorRole::kHrClerk);

  struct Channel {
    std::string id, secret, webhook_secret;
  };
  auto make_channel = [&](const std::string& url) {
    auto made = server.as(
        admin, "POST", "/v1/clients",
        R"({"kind":"channel","name":"渠道","channel_type":"gov","webhook_url":")" + url + R"("})");
    const auto json = made.json();
    return Channel{std::string(json.at("client_id").as_string()),
                   std::string(json.at("client_secret").as_string()),
                   std::string(json.at("webhook_secret").as_string())};
  };
  const auto gov = make_channel(gov_backend.url());
  const auto bank = make_channel(bank_backend.url());

  const auto id = make_id_number("33020219900307123");
  ASSERT_EQ(
      server
          .as(clerk, "POST", "/v1/persons",
              R"({"name":"张三","id_number":")" + id +
                  R"(","region_code":"330200","photo_on_file":{"police":true,"cardholder":true}})")
          .status,
      201);
  const std::string card_no(
      server.as(clerk, "POST", "/v1/cards", R"({"id_number":")" + id + R"(","bank_code":"NBCB"})")
          .json()
          .at("card_no")
          .as_string());
  ASSERT_EQ(server.as(clerk, "POST", "/v1/cards/" + card_no + "/collect").status, 200);
  ASSERT_EQ(server.as(clerk, "POST", "/v1/cards/" + card_no + "/activate", R"({"hr_pin":"975310"})")
                .status,
            200);

  std::map<std::string, std::string> binding_of;
  for (const auto* c : {&gov, &bank}) {
    auto v = server.signed_call(c->id, c->secret, "POST", "/v1/verifications",
                                R"({"purpose":"issue","name":"张三","id_number":")" + id + R"("})");
    const std::string vid(v.json().at("verification_id").as_string());
    ASSERT_EQ(server
                  .signed_call(c->id, c->secret, "POST", "/v1/verifications/" + vid + "/face",
                               R"({"image_base64":")" + crypto::to_base64("face") + R"("})")
                  .status,
              200);
    auto issued = server.signed_call(c->id, c->secret, "POST", "/v1/ecards",
                                     R"({"verification_id":")" + vid + R"(","password":"258147"})");
    ASSERT_EQ(issued.status, 201) << issued.body;
    binding_of[c->id] = std::string(issued.json().at("binding_id").as_string());
  }

  ASSERT_EQ(server.as(clerk, "POST", "/v1/cards/" + card_no + "/report-loss").status, 200);
  services::OutboxWorker worker(p.clock(), p.ctx().db, p.vault(), p.ctx().clients, p.sms(), post);
  worker.run_once();  // first deliveries: both channels answer 500
  EXPECT_EQ(gov_backend.deliveries().size(), 1u);
  EXPECT_EQ(bank_backend.deliveries().size(), 1u);
  EXPECT_EQ(worker.run_once(), 0u) << "a failed event waits for its backoff";
  p.clock().advance_ms(services::outbox_retry_delay_ms(1));
  worker.run_once();

  for (auto [backend, channel] : {std::pair{&gov_backend, &gov}, std::pair{&bank_backend, &bank}}) {
    const auto deliveries = backend->deliveries();
    ASSERT_EQ(deliveries.size(), 2u);
    EXPECT_EQ(deliveries[0].event_id, deliveries[1].event_id) << "the retry carries the same event";
    EXPECT_EQ(deliveries[1].answered, 200);
    const auto body = boost::json::parse(deliveries[1].body);
    EXPECT_EQ(body.at("type").as_string(), "ecard.suspended");
    EXPECT_EQ(body.at("status").as_string(), "suspended");
    EXPECT_EQ(body.at("binding_id").as_string(), binding_of[channel->id]);
    EXPECT_EQ(deliveries[1].signature,
              crypto::to_hex(crypto::hmac_sha256(channel->webhook_secret, deliveries[1].body)));
    // V2 signs the attempt's time with the body, so a receiver can refuse a replay.
    EXPECT_EQ(deliveries[0].timestamp,
              std::to_string(p.clock().now_seconds() - services::outbox_retry_delay_ms(1) / 1000));
    EXPECT_EQ(deliveries[1].timestamp, std::to_string(p.clock().now_seconds()));
    EXPECT_EQ(deliveries[1].signature_v2,
              crypto::to_hex(crypto::hmac_sha256(
                  channel->webhook_secret, deliveries[1].timestamp + "." + deliveries[1].body)));
    EXPECT_NE(deliveries[0].signature_v2, deliveries[1].signature_v2)
        << "each attempt is signed with its own time";
  }

  ASSERT_EQ(server.as(clerk, "POST", "/v1/cards/" + card_no + "/cancel-loss").status, 200);
  worker.run_once();
  p.clock().advance_ms(services::outbox_retry_delay_ms(1));
  worker.run_once();
  const auto last = gov_backend.deliveries().back();
  EXPECT_EQ(boost::json::parse(last.body).at("type").as_string(), "ecard.restored");
  EXPECT_EQ(last.answered, 200);
}

TEST(Webhooks, R_L6_AnUnreachableChannelIsRetriedThenGivenUp) {
  TestServer server;
  auto& p = server.platform();
  const auto admin = server.login_as(domain::OperatorRole::kAdmin);
  // The poster below fails every delivery, as a channel that is down would.
  auto made = server.as(
      admin, "POST", "/v1/clients",
      R"({"kind":"channel","name":"渠道","channel_type":"gov","webhook_url":"http://127.0.0.1:9/hook"})");
  const std::string client_id(made.json().at("client_id").as_string());
  const auto now = p.clock().now_ms();
  ASSERT_TRUE(p.ctx()
                  .db
                  .write<bool>([&](store::Connection& c) -> Result<bool> {
                    store::insert_outbox_event(c, p.ctx().vault,
                                               {"ev_test", "webhook", client_id, std::nullopt, "{}",
                                                0, now, std::nullopt, false, std::nullopt, now});
                    return true;
                  })
                  .ok());
  auto refused = [](const services::WebhookRequest&) -> Result<int> {
    return Error(ErrorCode::kUnavailable, "refused");
  };
  services::OutboxWorker worker(p.clock(), p.ctx().db, p.vault(), p.ctx().clients, p.sms(),
                                refused);
  for (int attempt = 1; attempt <= 12; ++attempt) {
    EXPECT_EQ(worker.run_once(), 1u) << attempt;
    p.clock().advance_ms(services::outbox_retry_delay_ms(attempt));
  }
  EXPECT_EQ(worker.run_once(), 0u);
  const auto given_up =
      p.ctx().db.read([&](store::Connection& c) { return store::given_up_outbox_events(c, 10); });
  ASSERT_EQ(given_up.size(), 1u);
  EXPECT_EQ(given_up[0].attempts, 12);
  EXPECT_EQ(given_up[0].last_error, "refused");
  auto listed = server.as(admin, "GET", "/v1/outbox/given-up");
  ASSERT_EQ(listed.status, 200) << listed.body;
  const auto body = listed.json();
  const auto& item = body.at("items").as_array().at(0).as_object();
  EXPECT_EQ(item.at("event_id").as_string(), "ev_test");
  EXPECT_EQ(item.at("kind").as_string(), "webhook");
  EXPECT_EQ(item.at("client_id").as_string(), client_id);
  EXPECT_EQ(item.at("attempts").as_int64(), 12);
  EXPECT_EQ(services::outbox_retry_delay_ms(1), 1000);
  EXPECT_EQ(services::outbox_retry_delay_ms(4), 8000);
  EXPECT_EQ(services::outbox_retry_delay_ms(30), 600000);
}

// R-L6: each channel is a lane of its own. A channel whose endpoint hangs holds its own
// events back, in order, and delays no other channel's.
TEST(Webhooks, R_L6_AChannelThatHangsDelaysNoOtherChannel) {
  TestServer server;
  auto& p = server.platform();
  const auto admin = server.login_as(domain::OperatorRole::kAdmin);
  const auto channel = [&](const std::string& url) {
    return std::string(
        server
            .as(admin, "POST", "/v1/clients",
                R"({"kind":"channel","name":"渠道","channel_type":"gov","webhook_url":")" + url +
                    R"("})")
            .json()
            .at("client_id")
            .as_string());
  };
  const auto slow = channel("http://127.0.0.1:9/slow");
  const auto fast = channel("http://127.0.0.1:9/fast");
  const auto now = p.clock().now_ms();
  ASSERT_TRUE(p.ctx()
                  .db
                  .write<bool>([&](store::Connection& c) -> Result<bool> {
                    for (const auto& [id, client] :
                         {std::pair{"ev_slow_1", slow}, std::pair{"ev_slow_2", slow},
                          std::pair{"ev_fast_1", fast}}) {
                      store::insert_outbox_event(c, p.ctx().vault,
                                                 {id, "webhook", client, std::nullopt, "{}", 0, now,
                                                  std::nullopt, false, std::nullopt, now});
                    }
                    return true;
                  })
                  .ok());

  std::mutex mutex;
  std::condition_variable changed;
  std::vector<std::string> delivered;
  bool release_slow = false;
  auto poster = [&](const services::WebhookRequest& r) -> Result<int> {
    std::unique_lock lock(mutex);
    if (r.url.ends_with("/slow")) changed.wait(lock, [&] { return release_slow; });
    for (const auto& [name, value] : r.headers) {
      if (name == "X-Essc-Event-Id") delivered.push_back(value);
    }
    changed.notify_all();
    return 200;
  };
  services::OutboxWorker worker(p.clock(), p.ctx().db, p.vault(), p.ctx().clients, p.sms(), poster);
  worker.start();
  {
    std::unique_lock lock(mutex);
    const bool fast_went =
        changed.wait_for(lock, std::chrono::seconds(20), [&] { return !delivered.empty(); });
    EXPECT_TRUE(fast_went);
    EXPECT_EQ(delivered, std::vector<std::string>{"ev_fast_1"}) << "the other channel went first";
    release_slow = true;  // before any assertion ends the test, so the worker can stop
    changed.notify_all();
    EXPECT_TRUE(
        changed.wait_for(lock, std::chrono::seconds(20), [&] { return delivered.size() == 3; }));
  }
  worker.stop();
  EXPECT_EQ(delivered, (std::vector<std::string>{"ev_fast_1", "ev_slow_1", "ev_slow_2"}))
      << "one lane, in order";
}

// Finding 16: outside sandbox mode a webhook URL may not lead to this machine or its
// network (the cloud metadata service at 169.254.169.254 above all), in any spelling.
TEST(Webhooks, R_S2_WebhookUrlsOnLoopbackLinkLocalOrPrivateAddressesAreRefused) {
  TestServer server;
  server.platform().platform().clients.allow_private_webhook_targets(false);
  const auto admin = server.login_as(domain::OperatorRole::kAdmin);
  auto channel = [&](const std::string& url) {
    return server.as(
        admin, "POST", "/v1/clients",
        R"({"kind":"channel","name":"渠道","channel_type":"gov","webhook_url":")" + url + R"("})");
  };
  for (const std::string url :
       {"http://127.0.0.1:9/hook", "http://localhost/hook",
        "http://169.254.169.254/latest/meta-data/", "http://10.1.2.3/hook",
        "https://172.16.0.1/hook", "http://192.168.1.1/hook", "http://100.64.0.1/hook",
        "http://0.0.0.0/hook", "http://[::1]/hook", "http://[fd00::1]/hook",
        "http://[fe80::1]/hook", "http://[::ffff:127.0.0.1]/hook", "http://127.1/hook",
        "http://2130706433/hook", "http://0x7f000001/hook"}) {
    const auto refused = channel(url);
    EXPECT_EQ(refused.status, 400) << url;
    EXPECT_EQ(refused.error_code(), "INVALID_REQUEST") << url;
    EXPECT_EQ(refused.json().at("error").as_object().if_contains("field")->as_string(),
              "webhook_url")
        << url;
  }
  const auto accepted = channel("https://203.0.113.7/hook");
  ASSERT_EQ(accepted.status, 201) << accepted.body;
  const std::string id(accepted.json().at("client_id").as_string());
  const auto patched = server.as(admin, "PATCH", "/v1/clients/" + id,
                                 R"({"webhook_url":"http://169.254.169.254/"})");
  EXPECT_EQ(patched.status, 400);
  EXPECT_EQ(patched.json().at("error").as_object().if_contains("field")->as_string(),
            "webhook_url");
}

}  // namespace
}  // namespace essc::testing
