// Using the e-card over HTTP (R-U1…R-U4): session, QR code, identity check, settlement
// to the fen with idempotency and refund, daily reconciliation, and a QR token verified
// offline with the `openssl` command line and the published key, nothing of ours.
#include <gtest/gtest.h>

#include <algorithm>
#include <boost/json.hpp>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <thread>
#include <vector>

#include "common/clock.hpp"
#include "common/limits.hpp"
#include "crypto/encoding.hpp"
#include "crypto/hash.hpp"
#include "crypto/request_signature.hpp"
#include "domain/operator.hpp"
#include "store/notification_repository.hpp"
#include "support/held_writer.hpp"
#include "support/test_server.hpp"

namespace essc::testing {
namespace {

using domain::OperatorRole;

struct Client {
  std::string id;
  std::string secret;
};

class UseApiTest : public ::testing::Test {
 protected:
  UseApiTest()
      : admin_(server_.login_as(domain::OperatorRole::kAdmin)),
        clerk_(server_.login_as(domain::OperatorRole::kHrClerk)) {
    channel_ = client(R"({"kind":"channel","name":"政务APP","channel_type":"gov"})");
    hospital_ = client(
        R"({"kind":"institution","name":"第一医院","institution_type":"hospital","region_code":"330200"})");
    hall_ = client(R"({"kind":"institution","name":"服务大厅","institution_type":"service_hall"})");
    id_ = make_id_number("33020219900307123");
    register_with_card("张三", id_);
    const auto vid =
        std::string(as(channel_, "POST", "/v1/verifications",
                       R"({"purpose":"issue","name":"张三","id_number":")" + id_ + R"("})")
                        .json()
                        .at("verification_id")
                        .as_string());
    EXPECT_EQ(as(channel_, "POST", "/v1/verifications/" + vid + "/face",
                 R"({"image_base64":")" + crypto::to_base64("face") + R"("})")
                  .status,
              200);
    binding_ = std::string(as(channel_, "POST", "/v1/ecards",
                              R"({"verification_id":")" + vid + R"(","password":"258147"})")
                               .json()
                               .at("binding_id")
                               .as_string());
    auto session =
        as(channel_, "POST", "/v1/ecards/" + binding_ + "/sessions", R"({"password":"258147"})");
    EXPECT_EQ(session.status, 201) << session.body;
    session_ = std::string(session.json().at("session_token").as_string());
  }

  // At the counter: the person, an active card and 1,000 yuan in the personal account.
  void register_with_card(const std::string& name, const std::string& id) {
    EXPECT_EQ(
        server_
            .as(clerk_, "POST", "/v1/persons",
                R"({"name":")" + name + R"(","id_number":")" + id +
                    R"(","region_code":"330200","photo_on_file":{"police":true,"cardholder":true}})")
            .status,
        201);
    const std::string no(
        server_
            .as(clerk_, "POST", "/v1/cards", R"({"id_number":")" + id + R"(","bank_code":"NBCB"})")
            .json()
            .at("card_no")
            .as_string());
    EXPECT_EQ(server_.as(clerk_, "POST", "/v1/cards/" + no + "/collect").status, 200);
    EXPECT_EQ(server_.as(clerk_, "POST", "/v1/cards/" + no + "/activate", R"({"hr_pin":"975310"})")
                  .status,
              200);
    EXPECT_EQ(server_
                  .as(clerk_, "POST", "/v1/accounts/medical/credits",
                      R"({"id_number":")" + id + R"(","amount_fen":100000,"memo":"个人账户划入"})")
                  .status,
              200);
  }

  Client client(const std::string& body) {
    auto made = server_.as(admin_, "POST", "/v1/clients", body);
    EXPECT_EQ(made.status, 201) << made.body;
    const auto json = made.json();
    return {std::string(json.at("client_id").as_string()),
            std::string(json.at("client_secret").as_string())};
  }

  HttpAnswer as(const Client& c, const std::string& method, const std::string& target,
                const std::string& body = {}) {
    return server_.signed_call(c.id, c.secret, method, target, body);
  }

  HttpAnswer qr_call(const std::string& body) {
    return session_call("POST", "/v1/ecards/" + binding_ + "/qrcodes", body);
  }

  // 2026-06, 2026-07 and 2026-10 of the pension, fed by the HR clerk (R-R1).
  void feed_pension_months() {
    std::string items;
    for (const auto* period : {"2026-06", "2026-07", "2026-10"}) {
      items +=
          std::string(items.empty() ? "" : ",") + R"({"insurance":"pension","period":")" + period +
          R"(","base_fen":800000,"employer_fen":128000,"personal_fen":64000,"employer_name":"宁波港集团","region_code":"330200"})";
    }
    ASSERT_EQ(server_
                  .as(clerk_, "POST", "/v1/persons/" + id_ + "/insurance-records",
                      R"({"items":[)" + items + "]}")
                  .status,
              201);
  }

  // A (session) call of the channel, X-Essc-Session signed along.
  HttpAnswer session_call(const std::string& method, const std::string& target,
                          const std::string& body = {}, Headers extra = {}) {
    const auto ts = std::to_string(server_.platform().clock().now_seconds());
    const auto nonce = "nonce-qr-" + std::to_string(++nonce_counter_) + "-0000000";
    const auto canonical = crypto::canonical_request(method, target, ts, nonce, body);
    Headers headers{{"X-Essc-Client", channel_.id},
                    {"X-Essc-Timestamp", ts},
                    {"X-Essc-Nonce", nonce},
                    {"X-Essc-Signature", crypto::sign_request(channel_.secret, canonical)},
                    {"X-Essc-Session", session_}};
    headers.insert(headers.end(), extra.begin(), extra.end());
    return server_.call(method, target, body, headers);
  }

  std::string qr(const std::string& purpose) {
    auto answer = qr_call(R"({"purpose":")" + purpose + R"("})");
    EXPECT_EQ(answer.status, 201) << answer.body;
    last_png_ = std::string(answer.json().at("png_base64").as_string());
    return std::string(answer.json().at("token").as_string());
  }

  std::string bill(const std::string& token, const std::string& order) {
    return R"({"qr_token":")" + token + R"(","order_id":")" + order +
           R"(","visit":"outpatient","items":[{"code":"A1","name":"甲类","category":"A","quantity":1,"unit_price_fen":20000},)"
           R"({"code":"B1","name":"乙类","category":"B","quantity":1,"unit_price_fen":50000},)"
           R"({"code":"C1","name":"丙类","category":"C","quantity":1,"unit_price_fen":10000}]})";
  }

  TestServer server_;
  std::string admin_, clerk_;
  Client channel_, hospital_, hall_;
  std::string id_, binding_, session_, last_png_;
  int nonce_counter_ = 0;
};

TEST_F(UseApiTest, R_U1_R_U2_QrCodesNeedTheSession) {
  EXPECT_EQ(as(channel_, "POST", "/v1/ecards/" + binding_ + "/qrcodes", R"({"purpose":"identity"})")
                .error_code(),
            "SESSION_INVALID");
  const auto token = qr("identity");
  EXPECT_TRUE(token.starts_with("ESSC1."));
  EXPECT_EQ(crypto::from_base64(last_png_)->substr(1, 3), "PNG");
}

TEST_F(UseApiTest, R_U2_TokenOnlyCodeIsAnsweredWithoutItsImage) {
  auto answer = qr_call(R"({"purpose":"identity","png":false})");
  ASSERT_EQ(answer.status, 201) << answer.body;
  EXPECT_FALSE(answer.json().as_object().contains("png_base64"));
  const std::string token(answer.json().at("token").as_string());
  EXPECT_EQ(as(hall_, "POST", "/v1/identity/verify", R"({"qr_token":")" + token + R"("})").status,
            200);
  auto refused = qr_call(R"({"purpose":"identity","png":"no"})");
  EXPECT_EQ(refused.error_code(), "INVALID_REQUEST");
  EXPECT_EQ(refused.json().at("error").at("field").as_string(), "png");
}

// `format: "compact"` answers a shorter code (docs/qr-token.md "The compact form"), which
// every place that takes a code accepts as it accepts ESSC1: once, for its purpose.
TEST_F(UseApiTest, R_U2_CompactCodeIsAcceptedWhereverAnEssc1CodeIs) {
  auto identity = qr_call(R"({"purpose":"identity","format":"compact"})");
  ASSERT_EQ(identity.status, 201) << identity.body;
  const std::string token(identity.json().at("token").as_string());
  EXPECT_TRUE(token.starts_with("EC1:")) << token;
  EXPECT_LT(token.size(), 180u);
  EXPECT_EQ(
      crypto::from_base64(std::string(identity.json().at("png_base64").as_string()))->substr(1, 3),
      "PNG");
  EXPECT_EQ(as(hospital_, "POST", "/v1/settlements", bill(token, "HIS-C0")).error_code(),
            "QR_PURPOSE_MISMATCH");
  auto checked = as(hall_, "POST", "/v1/identity/verify", R"({"qr_token":")" + token + R"("})");
  ASSERT_EQ(checked.status, 200) << checked.body;
  EXPECT_EQ(checked.json().at("name_masked").as_string(), "*三");
  EXPECT_EQ(
      as(hall_, "POST", "/v1/identity/verify", R"({"qr_token":")" + token + R"("})").error_code(),
      "QR_USED");
  auto payment = qr_call(R"({"purpose":"payment","format":"compact","png":false})");
  ASSERT_EQ(payment.status, 201) << payment.body;
  EXPECT_FALSE(payment.json().as_object().contains("png_base64"));
  const std::string pay(payment.json().at("token").as_string());
  auto settled = as(hospital_, "POST", "/v1/settlements", bill(pay, "HIS-C1"));
  ASSERT_EQ(settled.status, 201) << settled.body;
  EXPECT_EQ(as(hospital_, "POST", "/v1/settlements", bill(pay, "HIS-C2")).error_code(), "QR_USED");
  auto forged = pay;
  forged[10] = forged[10] == 'A' ? 'B' : 'A';
  EXPECT_EQ(as(hospital_, "POST", "/v1/settlements", bill(forged, "HIS-C3")).error_code(),
            "QR_INVALID");
  // The default stays ESSC1, and it may be asked for by name.
  EXPECT_TRUE(qr("identity").starts_with("ESSC1."));
  auto named = qr_call(R"({"purpose":"identity","format":"ESSC1"})");
  EXPECT_TRUE(std::string(named.json().at("token").as_string()).starts_with("ESSC1."));
  for (const auto* bad : {R"("EC1")", R"("COMPACT")", "1", "[]"}) {
    auto refused = qr_call(R"({"purpose":"identity","format":)" + std::string(bad) + "}");
    EXPECT_EQ(refused.error_code(), "INVALID_REQUEST") << bad;
    EXPECT_EQ(refused.json().at("error").at("field").as_string(), "format") << bad;
  }
}

// A channel whose app draws codes itself is registered without images by default; its
// requests may still ask for one, and channels registered as before keep the image.
TEST_F(UseApiTest, R_U2_ChannelDefaultDecidesTheImageUnlessTheRequestSays) {
  EXPECT_TRUE(as(channel_, "GET", "/v1/clients/me").json().at("qr_png").as_bool());
  auto changed = server_.as(admin_, "PATCH", "/v1/clients/" + channel_.id, R"({"qr_png":false})");
  ASSERT_EQ(changed.status, 200) << changed.body;
  EXPECT_FALSE(changed.json().at("qr_png").as_bool());
  auto plain = qr_call(R"({"purpose":"identity"})");
  ASSERT_EQ(plain.status, 201) << plain.body;
  EXPECT_FALSE(plain.json().as_object().contains("png_base64"));
  auto asked = qr_call(R"({"purpose":"identity","png":true})");
  ASSERT_EQ(asked.status, 201) << asked.body;
  EXPECT_TRUE(asked.json().as_object().contains("png_base64"));
  auto lean =
      server_.as(admin_, "POST", "/v1/clients",
                 R"({"kind":"channel","name":"银行APP","channel_type":"bank","qr_png":false})");
  ASSERT_EQ(lean.status, 201) << lean.body;
  EXPECT_FALSE(lean.json().at("qr_png").as_bool());
  EXPECT_EQ(
      server_.as(admin_, "PATCH", "/v1/clients/" + channel_.id, R"({"qr_png":"no"})").error_code(),
      "INVALID_REQUEST");
}

TEST_F(UseApiTest, R_U3_CardFaceIsMaskedUnlessRevealedUnderASession) {
  const std::string target = "/v1/ecards/" + binding_ + "/card-face";
  auto session_call = [&](const std::string& path) {
    const auto ts = std::to_string(server_.platform().clock().now_seconds());
    const auto nonce = "nonce-face-" + std::to_string(++nonce_counter_) + "-000000";
    const auto canonical = crypto::canonical_request("GET", path, ts, nonce, "");
    return server_.call("GET", path, "",
                        {{"X-Essc-Client", channel_.id},
                         {"X-Essc-Timestamp", ts},
                         {"X-Essc-Nonce", nonce},
                         {"X-Essc-Signature", crypto::sign_request(channel_.secret, canonical)},
                         {"X-Essc-Session", session_}});
  };
  auto masked = session_call(target);
  ASSERT_EQ(masked.status, 200) << masked.body;
  EXPECT_EQ(masked.json().at("name").as_string(), "*三");
  EXPECT_EQ(masked.body.find(id_), std::string::npos);
  auto revealed = session_call(target + "?reveal=true");
  EXPECT_EQ(revealed.json().at("id_number").as_string(), id_);
  EXPECT_EQ(as(channel_, "GET", target + "?reveal=true").error_code(), "SESSION_INVALID");
}

// R-S1: the session check of a (session) read is the client's record, the session and
// the binding read in one snapshot: one read transaction.
TEST_F(UseApiTest, R_S1_SessionCheckOfACardFaceIsOneReadTransaction) {
  const auto& db = server_.platform().ctx().db;
  const auto before = db.read_transactions();
  auto face = session_call("GET", "/v1/ecards/" + binding_ + "/card-face");
  ASSERT_EQ(face.status, 200) << face.body;
  EXPECT_EQ(db.read_transactions() - before, 1u);
}

// R-U2, R-S1: issuing a QR code reads the channel's record, the session and the binding
// with its card and person in one snapshot, on PostgreSQL in one round trip, and settles
// the request's nonce before the code is signed.
TEST_F(UseApiTest, R_U2_R_S1_AQrCodesAuthenticationIsOneReadAndOneRoundTrip) {
  const auto& db = server_.platform().ctx().db;
  ASSERT_EQ(qr_call(R"({"purpose":"identity","png":false})").status, 201);  // prepared
  const auto reads_before = db.read_transactions();
  const auto round_trips_before = db.round_trips();
  auto code = qr_call(R"({"purpose":"identity","png":false})");
  ASSERT_EQ(code.status, 201) << code.body;
  EXPECT_EQ(db.read_transactions() - reads_before, 1u);
  EXPECT_EQ(db.round_trips() - round_trips_before, server_.platform().postgres_schema() ? 1u : 0u);
}

// R-S2, R-U2: a (session) call's reads run before its nonce is known fresh, but nothing
// is signed until it is: a replay is refused as one, whether or not its session still
// stands, and a channel suspended since the server remembered it is refused at once.
TEST_F(UseApiTest, R_S2_R_U2_AReplayedOrSuspendedSessionCallIssuesNoCode) {
  const std::string target = "/v1/ecards/" + binding_ + "/qrcodes";
  const std::string body = R"({"purpose":"identity","png":false})";
  const auto ts = std::to_string(server_.platform().clock().now_seconds());
  const auto signed_call = [&](const std::string& session) {
    const std::string nonce = "nonce-replayed-00000001";
    return server_.call(
        "POST", target, body,
        {{"X-Essc-Client", channel_.id},
         {"X-Essc-Timestamp", ts},
         {"X-Essc-Nonce", nonce},
         {"X-Essc-Signature",
          crypto::sign_request(channel_.secret,
                               crypto::canonical_request("POST", target, ts, nonce, body))},
         {"X-Essc-Session", session}});
  };
  ASSERT_EQ(signed_call(session_).status, 201);
  const auto replayed = signed_call(session_);
  EXPECT_EQ(replayed.error_code(), "NONCE_REUSED");
  EXPECT_EQ(replayed.body.find("token"), std::string::npos);
  EXPECT_EQ(signed_call("no-such-session").error_code(), "NONCE_REUSED");

  ASSERT_EQ(server_.as(admin_, "POST", "/v1/clients/" + channel_.id + "/suspend").status, 200);
  const auto suspended = qr_call(body);
  EXPECT_EQ(suspended.error_code(), "CLIENT_SUSPENDED");
  EXPECT_EQ(suspended.body.find("token"), std::string::npos);
}

TEST_F(UseApiTest, R_U3_IdentityCheckByAServiceHall) {
  const auto token = qr("identity");
  auto checked = as(hall_, "POST", "/v1/identity/verify", R"({"qr_token":")" + token + R"("})");
  ASSERT_EQ(checked.status, 200) << checked.body;
  EXPECT_EQ(checked.json().at("name_masked").as_string(), "*三");
  EXPECT_EQ(checked.body.find(id_), std::string::npos);
  EXPECT_EQ(
      as(hall_, "POST", "/v1/identity/verify", R"({"qr_token":")" + token + R"("})").error_code(),
      "QR_USED");
  EXPECT_EQ(
      as(channel_, "POST", "/v1/identity/verify", R"({"qr_token":")" + token + R"("})").status,
      403);
}

// R-K4, R-K6: the test region caps the statin YP-ATV-20 at 60 in 30 days.
// R-K1, R-K3, R-K5 over HTTP: the refusal names its risk_id and the checks that clear it,
// never a threshold; the cardholder's channel lists the decision, clears it with a face
// check, and can still answer it "not me".
TEST_F(UseApiTest, R_K1_R_K3_R_K5_StepUpAndNotMeOverHttp) {
  auto policies = test_region_policies();
  policies.at("330200").risk.settlements_per_hour_max = 1;
  server_.platform().platform().policies.replace(std::move(policies));
  const auto bill =
      R"(","visit":"outpatient","items":[{"code":"A1","name":"药","category":"A","quantity":1,"unit_price_fen":100}]})";
  const auto settled = as(hospital_, "POST", "/v1/settlements",
                          R"({"qr_token":")" + qr("payment") + R"(","order_id":"K3-1)" + bill);
  ASSERT_EQ(settled.status, 201) << settled.body;

  const auto refused = qr_call(R"({"purpose":"payment"})");
  ASSERT_EQ(refused.error_code(), "RISK_STEP_UP_REQUIRED") << refused.body;
  EXPECT_EQ(refused.status, 422);
  const auto error = refused.json().at("error").as_object();
  const std::string risk_id(error.at("risk_id").as_string());
  EXPECT_EQ(error.at("methods"), boost::json::parse(R"(["face","sms"])"));
  EXPECT_EQ(refused.body.find("settlements_last_hour"), std::string::npos);

  const auto events_path = "/v1/ecards/" + binding_ + "/risk-events";
  auto events = session_call("GET", events_path);
  ASSERT_EQ(events.status, 200) << events.body;
  const auto first = events.json().at("items").as_array().at(0).as_object();
  EXPECT_EQ(first.at("risk_id").as_string(), risk_id);
  EXPECT_EQ(first.at("action").as_string(), "payment_code");
  EXPECT_EQ(first.at("rules"), boost::json::parse(R"(["SETTLEMENTS_PER_HOUR"])"));
  EXPECT_EQ(first.at("status").as_string(), "open");
  EXPECT_EQ(events.body.find("figures"), std::string::npos);

  auto started = as(
      channel_, "POST", "/v1/verifications",
      R"({"purpose":"step_up","binding_id":")" + binding_ + R"(","risk_id":")" + risk_id + R"("})");
  ASSERT_EQ(started.status, 201) << started.body;
  const std::string vid(started.json().at("verification_id").as_string());
  ASSERT_EQ(as(channel_, "POST", "/v1/verifications/" + vid + "/face",
               R"({"image_base64":")" + crypto::to_base64("face") + R"("})")
                .status,
            200);
  EXPECT_EQ(session_call("GET", events_path).json().at("items").at(0).at("status").as_string(),
            "cleared");
  EXPECT_EQ(qr_call(R"({"purpose":"payment"})").status, 201);

  const auto not_me = events_path + "/" + risk_id + "/not-me";
  EXPECT_EQ(session_call("POST", not_me, R"({"password":"147258"})").error_code(),
            "PASSWORD_INCORRECT");
  auto answered = session_call("POST", not_me, R"({"password":"258147"})");
  ASSERT_EQ(answered.status, 200) << answered.body;
  EXPECT_TRUE(answered.json().at("case_id").as_string().starts_with("case_"));
  EXPECT_EQ(as(channel_, "GET", "/v1/ecards/" + binding_).json().at("status").as_string(),
            "suspended")
      << "the card is reported lost (R-L1)";
  EXPECT_EQ(session_call("POST", events_path + "/rk_unknown/not-me", R"({"password":"258147"})")
                .error_code(),
            "NOT_FOUND");
}

// R-K1 over HTTP: a session past its hourly count is refused with its risk_id and no
// check offered (none clears it), never a threshold; the channel lists the refusal.
TEST_F(UseApiTest, R_K1_ASessionPastItsCountIsDeniedOverHttp) {
  auto policies = test_region_policies();
  policies.at("330200").risk.sessions_per_hour_max = 2;
  server_.platform().platform().policies.replace(std::move(policies));
  const auto open = [&] {
    return as(channel_, "POST", "/v1/ecards/" + binding_ + "/sessions", R"({"password":"258147"})");
  };
  ASSERT_EQ(open().status, 201) << "the fixture's session and this one";
  const auto refused = open();
  ASSERT_EQ(refused.error_code(), "RISK_DENIED") << refused.body;
  EXPECT_EQ(refused.status, 422);
  const auto error = refused.json().at("error").as_object();
  const std::string risk_id(error.at("risk_id").as_string());
  EXPECT_FALSE(error.contains("methods"));
  EXPECT_EQ(refused.body.find("repeats"), std::string::npos);

  auto step_up = as(
      channel_, "POST", "/v1/verifications",
      R"({"purpose":"step_up","binding_id":")" + binding_ + R"(","risk_id":")" + risk_id + R"("})");
  EXPECT_EQ(step_up.status, 409) << step_up.body;
  const auto events = session_call("GET", "/v1/ecards/" + binding_ + "/risk-events");
  ASSERT_EQ(events.status, 200) << events.body;
  const auto first = events.json().at("items").as_array().at(0).as_object();
  EXPECT_EQ(first.at("risk_id").as_string(), risk_id);
  EXPECT_EQ(first.at("action").as_string(), "session");
  EXPECT_EQ(first.at("decision").as_string(), "deny");
  EXPECT_EQ(first.at("rules"), boost::json::parse(R"(["SESSIONS_PER_HOUR"])"));
}

// R-K5 over HTTP on the authentication history: each use carries its event_id and status;
// "not me" with the password reports the card lost and opens a case, once.
TEST_F(UseApiTest, R_K5_NotMeToAUseOfTheAuthenticationHistoryOverHttp) {
  const auto records = "/v1/ecards/" + binding_ + "/records?kind=auth";
  auto uses = session_call("GET", records);
  ASSERT_EQ(uses.status, 200) << uses.body;
  const auto first = uses.json().at("items").as_array().at(0).as_object();
  EXPECT_EQ(first.at("status").as_string(), "recorded");
  const auto event_id = std::to_string(first.at("event_id").as_int64());
  const auto not_me = "/v1/ecards/" + binding_ + "/records/auth/" + event_id + "/not-me";

  EXPECT_EQ(session_call("POST", not_me, R"({"password":"147258"})").error_code(),
            "PASSWORD_INCORRECT");
  EXPECT_EQ(session_call("POST", "/v1/ecards/" + binding_ + "/records/auth/x1/not-me",
                         R"({"password":"258147"})")
                .error_code(),
            "NOT_FOUND");
  auto answered = session_call("POST", not_me, R"({"password":"258147"})");
  ASSERT_EQ(answered.status, 200) << answered.body;
  EXPECT_TRUE(answered.json().at("case_id").as_string().starts_with("case_"));
  EXPECT_EQ(as(channel_, "GET", "/v1/ecards/" + binding_).json().at("status").as_string(),
            "suspended")
      << "the card is reported lost (R-L1)";
  EXPECT_EQ(session_call("POST", not_me, R"({"password":"258147"})").error_code(), "CONFLICT");
  const auto after = session_call("GET", records).json().at("items").as_array();
  const auto it = std::find_if(after.begin(), after.end(), [&](const auto& item) {
    return std::to_string(item.at("event_id").as_int64()) == event_id;
  });
  ASSERT_NE(it, after.end());
  EXPECT_EQ(it->at("status").as_string(), "not_me");
}

TEST_F(UseApiTest, R_K4_R_K6_QuantityFlagsAndTheAuditorsCaseOverHttp) {
  const auto statins = [&](const std::string& order) {
    return R"({"qr_token":")" + qr("payment") + R"(","order_id":")" + order +
           R"(","visit":"pharmacy","items":[{"code":"YP-ATV-20","name":"阿托伐他汀钙片","category":"A","quantity":40,"unit_price_fen":1000}]})";
  };
  auto first = as(hospital_, "POST", "/v1/settlements", statins("ATV-1"));
  ASSERT_EQ(first.status, 201) << first.body;
  EXPECT_TRUE(first.json().at("flags").as_array().empty());
  auto second = as(hospital_, "POST", "/v1/settlements", statins("ATV-2"));
  ASSERT_EQ(second.status, 201) << second.body;
  const auto s = second.json();
  EXPECT_EQ(s.at("account_fen").as_int64(), 20000);
  EXPECT_EQ(s.at("self_pay_fen").as_int64(), 20000);
  ASSERT_EQ(s.at("flags").as_array().size(), 1u);
  const auto& flag = s.at("flags").as_array()[0].as_object();
  EXPECT_EQ(flag.at("rule").as_string(), "ITEM_QUANTITY_LIMIT");
  EXPECT_EQ(flag.at("item_code").as_string(), "YP-ATV-20");
  EXPECT_EQ(flag.at("quantity_over").as_int64(), 20);
  // The answer names what was over, never the cap or its window.
  EXPECT_EQ(flag.size(), 3u);
  EXPECT_EQ(second.body.find("max_quantity"), std::string::npos);

  // Cases and rules are for admins and auditors only.
  EXPECT_EQ(as(hospital_, "GET", "/v1/risk/rules").status, 401);
  EXPECT_EQ(as(channel_, "GET", "/v1/risk/cases").status, 401);
  EXPECT_EQ(server_.as(clerk_, "GET", "/v1/risk/cases").error_code(), "FORBIDDEN");
  const auto auditor = server_.login_as(OperatorRole::kAuditor);
  auto cases = server_.as(auditor, "GET", "/v1/risk/cases?status=open");
  ASSERT_EQ(cases.status, 200) << cases.body;
  const auto items = cases.json().at("items").as_array();
  ASSERT_EQ(items.size(), 1u);
  const auto& opened = items[0].as_object();
  EXPECT_EQ(opened.at("rule").as_string(), "ITEM_QUANTITY_LIMIT");
  EXPECT_EQ(opened.at("settlement_id"), s.at("settlement_id"));
  EXPECT_EQ(opened.at("person").at("name_masked").as_string(), "*三");
  EXPECT_EQ(cases.body.find(id_), std::string::npos);
  const std::string case_id(opened.at("case_id").as_string());

  // An auditor reads the log and closes cases, and changes nothing else.
  EXPECT_EQ(server_.as(auditor, "GET", "/v1/audit/verify").status, 200);
  EXPECT_EQ(server_
                .as(auditor, "POST", "/v1/operators",
                    R"({"username":"x1","password":"long-enough-pw","role":"admin"})")
                .error_code(),
            "FORBIDDEN");
  const auto close = "/v1/risk/cases/" + case_id + "/close";
  EXPECT_EQ(server_.as(auditor, "POST", close, R"({"outcome":"maybe"})").error_code(),
            "INVALID_REQUEST");
  auto closed = server_.as(auditor, "POST", close, R"({"outcome":"fraud","note":"代开"})");
  ASSERT_EQ(closed.status, 200) << closed.body;
  EXPECT_EQ(closed.json().at("status").as_string(), "closed");
  EXPECT_EQ(closed.json().at("outcome").as_string(), "fraud");
  EXPECT_EQ(server_.as(auditor, "POST", close, R"({"outcome":"fraud"})").error_code(), "CONFLICT");
  EXPECT_TRUE(server_.as(auditor, "GET", "/v1/risk/cases").json().at("items").as_array().empty());

  auto rules = server_.as(auditor, "GET", "/v1/risk/rules");
  ASSERT_EQ(rules.status, 200) << rules.body;
  bool capped = false;
  const auto regions = rules.json();
  for (const auto& region : regions.at("items").as_array()) {
    for (const auto& rule : region.at("rules").as_array()) {
      capped |= region.at("region_code") == "330200" && rule.at("rule") == "ITEM_QUANTITY_LIMIT" &&
                rule.at("max_quantity") == 60;
    }
  }
  EXPECT_TRUE(capped) << rules.body;
}

TEST_F(UseApiTest, R_U4_SettlementOverHttpToTheFen) {
  const auto body = bill(qr("payment"), "HIS-0001");
  EXPECT_EQ(as(hall_, "POST", "/v1/settlements", body).status, 403);
  auto settled = as(hospital_, "POST", "/v1/settlements", body);
  ASSERT_EQ(settled.status, 201) << settled.body;
  const auto s = settled.json();
  EXPECT_EQ(s.at("total_fen").as_int64(), 80000);
  EXPECT_EQ(s.at("fund_fen").as_int64(), 3000);
  EXPECT_EQ(s.at("account_fen").as_int64(), 67000);
  EXPECT_EQ(s.at("self_pay_fen").as_int64(), 10000);
  EXPECT_EQ(s.at("self_pay_method").as_string(), "cash");
  EXPECT_EQ(s.at("account_balance_after_fen").as_int64(), 33000);

  auto replay = as(hospital_, "POST", "/v1/settlements", body);
  EXPECT_EQ(replay.status, 200);
  EXPECT_EQ(replay.json().at("settlement_id"), s.at("settlement_id"));
  EXPECT_EQ(as(hospital_, "POST", "/v1/settlements", bill(qr("payment"), "HIS-0001")).error_code(),
            "IDEMPOTENCY_MISMATCH");

  const std::string id(s.at("settlement_id").as_string());
  auto account = as(channel_, "GET", "/v1/ecards/" + binding_ + "/account");
  EXPECT_EQ(account.json().at("medical_account_balance_fen").as_int64(), 33000);
  EXPECT_EQ(account.json().at("fund_paid_this_year_fen").as_int64(), 3000);
  EXPECT_EQ(
      as(hospital_, "POST", "/v1/settlements/" + id + "/refund", R"({"reason":"退费"})").status,
      200);
  EXPECT_EQ(as(hospital_, "POST", "/v1/settlements/" + id + "/refund", R"({"reason":"退费"})")
                .error_code(),
            "ALREADY_REFUNDED");
  EXPECT_EQ(as(channel_, "GET", "/v1/ecards/" + binding_ + "/account")
                .json()
                .at("medical_account_balance_fen")
                .as_int64(),
            100000);
  auto day = as(hospital_, "GET", "/v1/settlements?date=2026-11-26");
  ASSERT_EQ(day.status, 200) << day.body;
  EXPECT_EQ(day.json().at("items").as_array().size(), 1u);
  EXPECT_EQ(day.json().at("totals").at("refunded_count").as_int64(), 1);
  auto records =
      as(channel_, "GET", "/v1/ecards/" + binding_ + "/records?kind=settlements&limit=10");
  ASSERT_EQ(records.status, 200) << records.body;
  EXPECT_EQ(records.json().at("items").as_array().at(0).at("status").as_string(), "refunded");
  EXPECT_EQ(as(channel_, "GET", "/v1/ecards/" + binding_ + "/records").error_code(),
            "INVALID_REQUEST");
  auto bad_items = as(
      hospital_, "POST", "/v1/settlements",
      R"({"qr_token":"x","order_id":"o","visit":"pharmacy","items":[{"code":"A","name":"n","category":"D","quantity":1,"unit_price_fen":1}]})");
  EXPECT_EQ(bad_items.json().at("error").at("field").as_string(), "items[0].category");
}

TEST_F(UseApiTest, R_U2_TokenVerifiesOfflineWithOpenssl) {
  const auto token = qr("payment");
  const auto keys = server_.call("GET", "/v1/keys").json();
  const auto& key = keys.at("keys").as_array().back().as_object();
  const auto raw_key = crypto::from_base64(std::string(key.at("public_key").as_string()));
  ASSERT_TRUE(raw_key && raw_key->size() == 32);
  // SubjectPublicKeyInfo for Ed25519 (RFC 8410): a fixed 12-byte prefix, then the key.
  const std::string der =
      std::string("\x30\x2a\x30\x05\x06\x03\x2b\x65\x70\x03\x21\x00", 12) + *raw_key;
  TempDir dir;
  const auto path = [&](const char* name) { return (dir.path() / name).string(); };
  std::ofstream(path("key.der"), std::ios::binary) << der;
  const auto dot = token.rfind('.');
  std::ofstream(path("signed.bin"), std::ios::binary) << token.substr(0, dot);
  std::ofstream(path("sig.bin"), std::ios::binary)
      << *crypto::from_base64url(token.substr(dot + 1));
  const auto verify = "openssl pkeyutl -verify -pubin -keyform DER -inkey " + path("key.der") +
                      " -rawin -in " + path("signed.bin") + " -sigfile " + path("sig.bin") + " > " +
                      path("out.txt") + " 2>&1";
  EXPECT_EQ(std::system(verify.c_str()), 0);
  std::ofstream(path("signed.bin"), std::ios::binary) << token.substr(0, dot) << "x";
  EXPECT_NE(std::system(verify.c_str()), 0) << "a changed payload must not verify";
}

// People see 宁波市 and 宁波银行, not 330200 and NBCB; a receipt names its cardholder,
// masked.
TEST_F(UseApiTest, R_S5_AnswersNameTheRegionAndBankAndTheReceiptItsCardholder) {
  auto ecard = as(channel_, "GET", "/v1/ecards/" + binding_);
  ASSERT_EQ(ecard.status, 200) << ecard.body;
  const auto card = ecard.json().at("card");
  EXPECT_EQ(card.at("region_code").as_string(), "330200");
  EXPECT_EQ(card.at("region_name").as_string(), "宁波市");
  EXPECT_EQ(card.at("region_name_en").as_string(), "Ningbo");
  EXPECT_EQ(card.at("bank_name").as_string(), "宁波银行");
  auto checked =
      as(hall_, "POST", "/v1/identity/verify", R"({"qr_token":")" + qr("identity") + R"("})");
  ASSERT_EQ(checked.status, 200) << checked.body;
  EXPECT_EQ(checked.json().at("region_name").as_string(), "宁波市");
  auto settled = as(hospital_, "POST", "/v1/settlements", bill(qr("payment"), "HIS-NAMES"));
  ASSERT_EQ(settled.status, 201) << settled.body;
  const auto holder = settled.json().at("cardholder");
  EXPECT_EQ(holder.at("name_masked").as_string(), "*三");
  EXPECT_NE(std::string(holder.at("card_no_masked").as_string()).find('*'), std::string::npos);
  EXPECT_EQ(settled.body.find(id_), std::string::npos);
}

// R-X1…R-X3 over HTTP: a Ningbo cardholder at a Shanghai hospital, the filing made at
// the counter and seen in the app, the settlement naming both regions, and the clearing
// whose totals are the institutions' reconciliations added up.
TEST_F(UseApiTest, R_X1_R_X2_R_X3_CrossRegionSettlementFilingAndClearing) {
  const auto shanghai = client(
      R"({"kind":"institution","name":"上海瑞金医院","institution_type":"hospital","region_code":"310100"})");
  auto refused = as(shanghai, "POST", "/v1/settlements", bill(qr("payment"), "sh-1"));
  EXPECT_EQ(refused.status, 422);
  EXPECT_EQ(refused.error_code(), "CROSS_REGION_FILING_REQUIRED");

  const std::string filings = "/v1/persons/" + id_ + "/filings";
  EXPECT_EQ(
      server_.as(clerk_, "POST", filings, R"({"treatment_region":"310100","from":"2026-11-26"})")
          .error_code(),
      "INVALID_REQUEST");
  auto filed = server_.as(clerk_, "POST", filings,
                          R"({"treatment_region":"310100","from":"2026-11-01","to":"2027-04-30"})");
  ASSERT_EQ(filed.status, 201) << filed.body;
  const std::string filing_id(filed.json().at("filing_id").as_string());
  EXPECT_EQ(server_.as(clerk_, "GET", filings).json().at("items").as_array().size(), 1u);
  auto own = session_call("GET", "/v1/ecards/" + binding_ + "/filings");
  ASSERT_EQ(own.status, 200) << own.body;
  EXPECT_EQ(own.json().at("items").at(0).at("treatment_region").as_string(), "310100");

  auto settled = as(shanghai, "POST", "/v1/settlements", bill(qr("payment"), "sh-2"));
  ASSERT_EQ(settled.status, 201) << settled.body;
  EXPECT_EQ(settled.json().at("insured_region").as_string(), "330200");
  EXPECT_EQ(settled.json().at("treatment_region").as_string(), "310100");
  ASSERT_EQ(as(hospital_, "POST", "/v1/settlements", bill(qr("payment"), "nb-1")).status, 201);

  EXPECT_EQ(server_.as(clerk_, "GET", "/v1/clearing?date=2026-11-26").status, 403);
  EXPECT_EQ(server_.as(clerk_, "GET", "/v1/stats?from=2026-11-26&to=2026-11-26").status, 403);
  auto stats = server_.as(admin_, "GET", "/v1/stats?from=2026-11-26&to=2026-11-26");
  ASSERT_EQ(stats.status, 200) << stats.body;
  const auto stats_day = stats.json().at("days").at(0);
  EXPECT_EQ(stats_day.at("settlements").as_array().size(), 1u);  // outpatient, both hospitals
  EXPECT_EQ(stats_day.at("settlements").at(0).at("count").as_int64(), 2);
  EXPECT_EQ(stats_day.at("refusals").at(0).at("code").as_string(), "CROSS_REGION_FILING_REQUIRED");
  EXPECT_EQ(stats.json().at("live_bindings").at("usable").as_int64(), 1);
  auto clearing = server_.as(admin_, "GET", "/v1/clearing?date=2026-11-26");
  ASSERT_EQ(clearing.status, 200) << clearing.body;
  const auto clearing_body = clearing.json();
  const auto& items = clearing_body.at("items").as_array();
  ASSERT_EQ(items.size(), 2u);
  EXPECT_EQ(items.at(0).at("treatment_region").as_string(), "310100");
  EXPECT_EQ(items.at(0).at("settlements").as_int64(), 1);
  std::int64_t fund = 0, account = 0, count = 0;
  for (const Client* institution : {&shanghai, static_cast<const Client*>(&hospital_)}) {
    const auto day = as(*institution, "GET", "/v1/settlements?date=2026-11-26").json().at("totals");
    fund += day.at("fund_fen").as_int64();
    account += day.at("account_fen").as_int64();
    count += day.at("count").as_int64();
  }
  const auto& totals = clearing_body.at("totals");
  EXPECT_EQ(totals.at("fund_fen").as_int64(), fund);
  EXPECT_EQ(totals.at("account_fen").as_int64(), account);
  EXPECT_EQ(totals.at("settlements").as_int64(), count);

  EXPECT_EQ(server_.as(clerk_, "DELETE", filings + "/" + filing_id).status, 204);
  EXPECT_EQ(server_.as(clerk_, "DELETE", filings + "/" + filing_id).status, 404);
  EXPECT_TRUE(server_.as(clerk_, "GET", filings).json().at("items").as_array().empty());
}

// R-E9 over HTTP: the wallet's binding is seen from the gov app by name, never by its
// binding id, and unlinked from there with the password; the wallet gets its webhook.
TEST_F(UseApiTest, R_E9_ChannelsAreListedWithoutBindingIdsAndRevokedWithThePassword) {
  const auto wallet = client(
      R"({"kind":"channel","name":"城市钱包","channel_type":"third_party","webhook_url":"https://wallet.example/hook"})");
  const auto vid =
      std::string(as(wallet, "POST", "/v1/verifications",
                     R"({"purpose":"issue","name":"张三","id_number":")" + id_ + R"("})")
                      .json()
                      .at("verification_id")
                      .as_string());
  ASSERT_EQ(as(wallet, "POST", "/v1/verifications/" + vid + "/face",
               R"({"image_base64":")" + crypto::to_base64("face") + R"("})")
                .status,
            200);
  const auto wallet_binding =
      std::string(as(wallet, "POST", "/v1/ecards",
                     R"({"verification_id":")" + vid + R"(","password":"258147"})")
                      .json()
                      .at("binding_id")
                      .as_string());

  EXPECT_EQ(as(channel_, "GET", "/v1/ecards/" + binding_ + "/channels").error_code(),
            "SESSION_INVALID");
  auto listed = session_call("GET", "/v1/ecards/" + binding_ + "/channels");
  ASSERT_EQ(listed.status, 200) << listed.body;
  EXPECT_EQ(listed.body.find(wallet_binding), std::string::npos);
  const auto body = listed.json();
  auto items = body.at("items").as_array();
  ASSERT_EQ(items.size(), 2u);
  if (!items.at(0).at("this_channel").as_bool()) std::swap(items.at(0), items.at(1));
  EXPECT_TRUE(items.at(0).at("this_channel").as_bool());
  EXPECT_EQ(items.at(0).at("last_used_at").as_string(),
            format_rfc3339(server_.platform().clock().now_ms()));
  EXPECT_EQ(items.at(1).at("channel_name").as_string(), "城市钱包");
  EXPECT_EQ(items.at(1).at("channel_type").as_string(), "third_party");
  EXPECT_EQ(items.at(1).at("status").as_string(), "usable");
  EXPECT_TRUE(items.at(1).at("last_used_at").is_null());
  EXPECT_EQ(std::string(items.at(1).at("channel_id").as_string()), wallet.id);

  const std::string revoke = "/v1/ecards/" + binding_ + "/channels/" + wallet.id + "/revoke";
  EXPECT_EQ(session_call("POST", revoke, R"({"password":"369258"})").error_code(),
            "PASSWORD_INCORRECT");
  ASSERT_EQ(session_call("POST", revoke, R"({"password":"258147"})").status, 204);
  EXPECT_EQ(as(wallet, "GET", "/v1/ecards/" + wallet_binding).json().at("status").as_string(),
            "unlinked");
  EXPECT_EQ(session_call("POST", revoke, R"({"password":"258147"})").status, 404);
  auto& ctx = server_.platform().ctx();
  const auto due = ctx.db.read([&](store::Connection& c) {
    return store::due_outbox_events(c, ctx.vault, server_.platform().clock().now_ms(), 100);
  });
  bool told = false;
  for (const auto& e : due) {
    if (e.kind == "webhook" && e.payload.find("ecard.unlinked") != std::string::npos) {
      told = e.client_id == wallet.id && e.payload.find(wallet_binding) != std::string::npos;
    }
  }
  EXPECT_TRUE(told);
  EXPECT_EQ(session_call("GET", "/v1/ecards/" + binding_ + "/channels")
                .json()
                .at("items")
                .as_array()
                .size(),
            1u);
}

// R-F1…R-F4 over HTTP: the daughter (under 16) added at once, the mother (over 16) only
// with her consent; the daughter's code settles on her account and shows in her records.
TEST_F(UseApiTest, R_F1_R_F2_R_F3_R_F4_FamilyMemberAddedShownSettledAndRemoved) {
  const auto daughter = make_id_number("33020220200601002");
  const auto mother = make_id_number("33020219600101002");
  register_with_card("张小花", daughter);
  register_with_card("李秀英", mother);
  const std::string family = "/v1/ecards/" + binding_ + "/family";
  EXPECT_EQ(as(channel_, "POST", family,
               R"({"name":"张小花","id_number":")" + daughter + R"(","relation":"child"})")
                .error_code(),
            "SESSION_INVALID");
  auto refused = session_call(
      "POST", family, R"({"name":"李秀英","id_number":")" + mother + R"(","relation":"parent"})");
  EXPECT_EQ(refused.status, 422);
  EXPECT_EQ(refused.error_code(), "FAMILY_CONSENT_REQUIRED");
  auto added = session_call(
      "POST", family, R"({"name":"张小花","id_number":")" + daughter + R"(","relation":"child"})");
  ASSERT_EQ(added.status, 201) << added.body;
  const std::string member(added.json().at("member_id").as_string());
  EXPECT_EQ(added.json().at("name_masked").as_string(), "**花");
  EXPECT_EQ(added.json().at("status").as_string(), "active");
  EXPECT_EQ(session_call("GET", family).json().at("items").as_array().size(), 1u);

  auto code = session_call("POST", family + "/" + member + "/qrcodes", R"({"purpose":"payment"})");
  ASSERT_EQ(code.status, 201) << code.body;
  const std::string token(code.json().at("token").as_string());
  auto settled = as(
      hospital_, "POST", "/v1/settlements",
      R"({"qr_token":")" + token +
          R"(","order_id":"fam-1","visit":"pharmacy","items":[{"code":"A1","name":"药","category":"A","quantity":1,"unit_price_fen":1500}]})");
  ASSERT_EQ(settled.status, 201) << settled.body;
  EXPECT_EQ(settled.json().at("cardholder").at("name_masked").as_string(), "**花");
  EXPECT_EQ(settled.json().at("account_balance_after_fen").as_int64(), 100000 - 1500);
  // The member's compact code stands for the member too.
  auto compact = session_call("POST", family + "/" + member + "/qrcodes",
                              R"({"purpose":"identity","format":"compact"})");
  ASSERT_EQ(compact.status, 201) << compact.body;
  const std::string compact_token(compact.json().at("token").as_string());
  EXPECT_TRUE(compact_token.starts_with("EC1:"));
  auto shown =
      as(hall_, "POST", "/v1/identity/verify", R"({"qr_token":")" + compact_token + R"("})");
  ASSERT_EQ(shown.status, 200) << shown.body;
  EXPECT_EQ(shown.json().at("name_masked").as_string(), "**花");
  auto records = session_call("GET", family + "/" + member + "/records?kind=settlements");
  ASSERT_EQ(records.status, 200) << records.body;
  EXPECT_EQ(records.json().at("items").as_array().size(), 1u);
  EXPECT_EQ(session_call("GET", "/v1/ecards/" + binding_ + "/records?kind=settlements")
                .json()
                .at("items")
                .as_array()
                .size(),
            0u);
  EXPECT_TRUE(session_call("GET", "/v1/ecards/" + binding_ + "/guardians")
                  .json()
                  .at("items")
                  .as_array()
                  .empty());
  // The mother consents with her own face check (purpose family_consent) on this phone.
  const auto consent = std::string(
      as(channel_, "POST", "/v1/verifications",
         R"({"purpose":"family_consent","name":"李秀英","id_number":")" + mother + R"("})")
          .json()
          .at("verification_id")
          .as_string());
  ASSERT_EQ(as(channel_, "POST", "/v1/verifications/" + consent + "/face",
               R"({"image_base64":")" + crypto::to_base64("face") + R"("})")
                .status,
            200);
  auto consented =
      session_call("POST", family,
                   R"({"name":"李秀英","id_number":")" + mother +
                       R"(","relation":"parent","verification_id":")" + consent + R"("})");
  ASSERT_EQ(consented.status, 201) << consented.body;
  EXPECT_TRUE(consented.json().at("consented").as_bool());
  const auto inbox = as(channel_, "GET", "/v1/ecards/" + binding_ + "/notifications").json();
  EXPECT_EQ(inbox.at("items").at(0).at("type").as_string(), "family.added");

  EXPECT_EQ(session_call("DELETE", family + "/" + member).status, 204);
  EXPECT_EQ(session_call("DELETE", family + "/" + member).status, 404);
  EXPECT_EQ(session_call("GET", family).json().at("items").as_array().size(), 1u);  // the mother
}

// R-R2: 社保查询 in the channel with the session: per insurance the months paid, the gap,
// the years and every month's base, amounts and employer; without the session, refused.
TEST_F(UseApiTest, R_R2_InsuranceHistoryAnswersPerInsuranceAndMonth) {
  feed_pension_months();
  auto answer = session_call("GET", "/v1/ecards/" + binding_ + "/insurance");
  ASSERT_EQ(answer.status, 200) << answer.body;
  const auto json = answer.json();
  const auto& list = json.at("items").as_array();
  ASSERT_EQ(list.size(), 5U);
  const auto& pension = list[0].as_object();
  EXPECT_EQ(pension.at("insurance").as_string(), "pension");
  EXPECT_EQ(pension.at("name").as_string(), "职工基本养老保险");
  EXPECT_EQ(pension.at("status").as_string(), "paying");
  EXPECT_EQ(pension.at("months_paid").as_int64(), 3);
  EXPECT_EQ(pension.at("first_period").as_string(), "2026-06");
  EXPECT_EQ(pension.at("last_period").as_string(), "2026-10");
  const auto& gap = pension.at("gaps").as_array().at(0).as_object();
  EXPECT_EQ(gap.at("from").as_string(), "2026-08");
  EXPECT_EQ(gap.at("to").as_string(), "2026-09");
  EXPECT_EQ(gap.at("months").as_int64(), 2);
  EXPECT_EQ(pension.at("years").as_array().at(0).at("months").as_int64(), 3);
  const auto& month = pension.at("months").as_array().at(2).as_object();
  EXPECT_EQ(month.at("period").as_string(), "2026-10");
  EXPECT_EQ(month.at("base_fen").as_int64(), 800000);
  EXPECT_EQ(month.at("employer_fen").as_int64(), 128000);
  EXPECT_EQ(month.at("personal_fen").as_int64(), 64000);
  EXPECT_EQ(month.at("employer_name").as_string(), "宁波港集团");
  EXPECT_EQ(list[1].at("status").as_string(), "none");
  EXPECT_TRUE(list[1].at("first_period").is_null());
  // Without the session the channel alone does not read it.
  EXPECT_EQ(as(channel_, "GET", "/v1/ecards/" + binding_ + "/insurance").error_code(),
            "SESSION_INVALID");
}

// R-R3: a 参保证明 issued in the channel with the session, its PDF the bytes whose SHA-256
// the platform signed, checked by anyone with the code (no authentication), revoked, and
// every check counted in /metrics.
TEST_F(UseApiTest, R_R3_CertificateIsIssuedDownloadedCheckedAndRevoked) {
  feed_pension_months();
  const auto certificates = "/v1/ecards/" + binding_ + "/certificates";
  auto issued = session_call("POST", certificates, R"({"from":"2026-01","to":"2026-10"})");
  ASSERT_EQ(issued.status, 201) << issued.body;
  const auto json = issued.json();
  const std::string id(json.at("certificate_id").as_string());
  const std::string code(json.at("verify_code").as_string());
  const std::string sha256(json.at("document_sha256").as_string());
  EXPECT_EQ(code.size(), 19U);
  EXPECT_EQ(json.at("signature").at("alg").as_string(), "Ed25519");
  const auto signature = crypto::from_base64(json.at("signature").at("value").as_string());
  ASSERT_TRUE(signature);
  EXPECT_TRUE(server_.platform().qr().verify_statement(json.at("signature").at("kid").as_string(),
                                                       "ESSC-CERT1." + sha256, *signature));

  auto pdf = session_call("GET", certificates + "/" + id + "/pdf");
  ASSERT_EQ(pdf.status, 200);
  EXPECT_EQ(pdf.header("content-type").value_or(""), "application/pdf");
  EXPECT_EQ(crypto::to_hex(crypto::sha256(pdf.body)), sha256);
  EXPECT_EQ(session_call("GET", certificates).json().at("items").as_array().size(), 1U);
  EXPECT_EQ(as(channel_, "GET", certificates).error_code(), "SESSION_INVALID");

  auto checked = server_.call("GET", "/v1/certificates/" + code);
  ASSERT_EQ(checked.status, 200) << checked.body;
  const auto c = checked.json();
  EXPECT_EQ(c.at("status").as_string(), "valid");
  EXPECT_EQ(c.at("subject").at("name_masked").as_string(), "*三");
  EXPECT_EQ(c.at("period").at("from").as_string(), "2026-01");
  EXPECT_EQ(c.at("summary").at(0).at("months").as_int64(), 3);
  EXPECT_EQ(c.at("summary").at(0).at("last_period").as_string(), "2026-10");
  EXPECT_EQ(c.at("document_sha256").as_string(), sha256);
  EXPECT_FALSE(c.as_object().contains("certificate_id"));
  EXPECT_EQ(checked.body.find(id_), std::string::npos);

  EXPECT_EQ(session_call("POST", certificates + "/" + id + "/revoke").status, 204);
  EXPECT_EQ(server_.call("GET", "/v1/certificates/" + code).json().at("status").as_string(),
            "revoked");
  auto unknown = server_.call("GET", "/v1/certificates/0000-0000-0000-0000");
  EXPECT_EQ(unknown.status, 404);
  EXPECT_EQ(unknown.error_code(), "NOT_FOUND");
  const auto metrics = server_.call("GET", "/metrics").body;
  for (const auto* line : {"essc_certificate_checks_total{status=\"valid\"} 1",
                           "essc_certificate_checks_total{status=\"revoked\"} 1",
                           "essc_certificate_checks_total{status=\"not_found\"} 1"}) {
    EXPECT_NE(metrics.find(line), std::string::npos) << line;
  }
}

// R-R3: the QR code and the 查验地址 on the PDF point under the configured public address;
// the Host and X-Forwarded-Proto a client sends change nothing.
TEST_F(UseApiTest, R_R3_CertificateVerifyAddressIgnoresTheRequestsHost) {
  feed_pension_months();
  server_.platform().platform().certificates.use_public_url("https://essc.example.cn");
  const auto certificates = "/v1/ecards/" + binding_ + "/certificates";
  auto issued = session_call("POST", certificates, R"({"from":"2026-01","to":"2026-10"})",
                             {{"Host", "attacker.example"}, {"X-Forwarded-Proto", "http"}});
  ASSERT_EQ(issued.status, 201) << issued.body;
  const std::string id(issued.json().at("certificate_id").as_string());
  const std::string code(issued.json().at("verify_code").as_string());
  auto pdf = session_call("GET", certificates + "/" + id + "/pdf");
  ASSERT_EQ(pdf.status, 200);
  TempDir dir;
  std::ofstream(dir.path() / "c.pdf", std::ios::binary) << pdf.body;
  ASSERT_EQ(std::system(("pdftotext -enc UTF-8 '" + (dir.path() / "c.pdf").string() + "' '" +
                         (dir.path() / "c.txt").string() + "'")
                            .c_str()),
            0);
  std::ifstream in(dir.path() / "c.txt", std::ios::binary);
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_NE(text.find("https://essc.example.cn/verify/"), std::string::npos) << text;
  EXPECT_NE(text.find(code), std::string::npos) << text;
  EXPECT_EQ(text.find("attacker"), std::string::npos) << text;
}

// R-U4 under load: a handler waiting for its commit holds no worker thread. With the
// writer held busy, a thousand settlements queue for it at once through the server's
// four workers, a QR code is issued meanwhile, and once the writer is free they commit in
// a handful of batches, each settled once.
TEST_F(UseApiTest, R_U4_AThousandSettlementsShareCommitsWithTheWorkersFree) {
  if (server_.platform().postgres_schema())
    GTEST_SKIP() << "each PostgreSQL write runs on a pooled connection: no writer queue";
  constexpr int kSettlements = 1'000;
  auto policies = test_region_policies();
  policies.at("330200").daily_settlement_limit = kSettlements;
  policies.at("330200").risk.settlements_per_hour_max = kSettlements;
  server_.platform().platform().policies.replace(std::move(policies));
  std::vector<std::string> bills;
  bills.reserve(kSettlements);
  for (int i = 0; i < kSettlements; ++i) {
    bills.push_back(
        R"({"qr_token":")" + qr("payment") + R"(","order_id":"BURST-)" + std::to_string(i) +
        R"(","visit":"outpatient","items":[{"code":"A1","name":"药","category":"A","quantity":1,"unit_price_fen":100}]})");
  }
  auto& db = server_.platform().ctx().db;
  const auto batches_before = db.batches_committed();

  testing::HeldWriter writer(db);
  std::vector<int> statuses(kSettlements);
  std::vector<std::thread> tills;
  tills.reserve(kSettlements);
  for (int i = 0; i < kSettlements; ++i) {
    tills.emplace_back([&, i] {
      try {
        statuses[i] = as(hospital_, "POST", "/v1/settlements", bills[i]).status;
      } catch (const std::exception&) {
        statuses[i] = 0;  // no answer in the client's time
      }
    });
  }
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (db.writes_waiting() < kSettlements && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  const auto queued = db.writes_waiting();
  const auto metrics = server_.call("GET", "/metrics").body;
  const auto issued = qr_call(R"({"purpose":"identity","png":false})").status;
  writer.release();
  for (auto& till : tills) till.join();

  EXPECT_EQ(queued, std::size_t{kSettlements});
  EXPECT_NE(metrics.find("\nessc_db_write_queue_jobs 1000\n"), std::string::npos);
  EXPECT_EQ(issued, 201);
  EXPECT_EQ(std::count(statuses.begin(), statuses.end(), 201), kSettlements);
  // 256 jobs a batch at most (limits::kWriteBatchJobsMax): four, and the holder's own.
  EXPECT_LE(db.batches_committed() - batches_before, 8u);
}

TEST_F(UseApiTest, R_R3_CertificateChecksAreRateLimitedPerSourceAddress) {
  for (std::int64_t i = 0; i < limits::kCertificateChecksPerWindow; ++i) {
    ASSERT_EQ(server_.call("GET", "/v1/certificates/0000-0000-0000-0000").status, 404) << i;
  }
  auto limited = server_.call("GET", "/v1/certificates/0000-0000-0000-0000");
  EXPECT_EQ(limited.status, 429);
  EXPECT_EQ(limited.error_code(), "RATE_LIMITED");
  EXPECT_NE(server_.call("GET", "/metrics")
                .body.find("essc_certificate_checks_total{status=\"rate_limited\"} 1"),
            std::string::npos);
}

}  // namespace
}  // namespace essc::testing
