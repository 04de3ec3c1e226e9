// The e-card journey over HTTP against the real server in sandbox mode, signed as a
// channel would sign (R-S2): verification, both levels, the SMS fallback, multi-channel
// passwords, loss and cancel-loss, replacement, and the refusals' codes.
#include <gtest/gtest.h>

#include <atomic>
#include <boost/json.hpp>
#include <set>
#include <thread>
#include <vector>

#include "crypto/encoding.hpp"
#include "domain/operator.hpp"
#include "support/test_server.hpp"

namespace essc::testing {
namespace {

using domain::OperatorRole;

constexpr char kAccount[] = "6222021234567890128";
constexpr char kReservedPhone[] = "13900139000";

struct Channel {
  std::string id;
  std::string secret;
};

class EcardApiTest : public ::testing::Test {
 protected:
  EcardApiTest()
      : admin_(server_.login_as(domain::OperatorRole::kAdmin)),
        clerk_(server_.login_as(domain::OperatorRole::kHrClerk)),
        teller_(server_.login_as(domain::OperatorRole::kBankTeller, "NBCB")) {
    gov_ = channel("gov");
    bank_ = channel("bank");
    id_ = make_id_number("33020219900307123");
    card_no_ = person_with_card(id_, "张三");
  }

  Channel channel(const std::string& type) {
    auto made = server_.as(admin_, "POST", "/v1/clients",
                           R"({"kind":"channel","name":"渠道","channel_type":")" + type + R"("})");
    EXPECT_EQ(made.status, 201) << made.body;
    return {std::string(made.json().at("client_id").as_string()),
            std::string(made.json().at("client_secret").as_string())};
  }

  std::string person_with_card(const std::string& id, const std::string& name) {
    EXPECT_EQ(
        server_
            .as(clerk_, "POST", "/v1/persons",
                R"({"name":")" + name + R"(","id_number":")" + id +
                    R"(","region_code":"330200","phone":"13800138000","photo_on_file":{"police":true,"cardholder":true}})")
            .status,
        201);
    auto card = server_.as(clerk_, "POST", "/v1/cards",
                           R"({"id_number":")" + id + R"(","bank_code":"NBCB"})");
    const std::string no(card.json().at("card_no").as_string());
    EXPECT_EQ(server_.as(clerk_, "POST", "/v1/cards/" + no + "/collect").status, 200);
    EXPECT_EQ(server_.as(clerk_, "POST", "/v1/cards/" + no + "/activate", R"({"hr_pin":"975310"})")
                  .status,
              200);
    EXPECT_EQ(
        server_
            .as(teller_, "POST", "/v1/cards/" + no + "/financial/activate",
                R"({"bank_account_no":")" + std::string(kAccount) + R"(","reserved_phone":")" +
                    kReservedPhone + R"(","financial_pin":"864200"})")
            .status,
        200);
    return no;
  }

  HttpAnswer as(const Channel& c, const std::string& method, const std::string& target,
                const std::string& body = {}) {
    return server_.signed_call(c.id, c.secret, method, target, body);
  }

  std::string start(const Channel& c, const std::string& body) {
    auto v = as(c, "POST", "/v1/verifications", body);
    EXPECT_EQ(v.status, 201) << v.body;
    return v.status == 201 ? std::string(v.json().at("verification_id").as_string()) : "";
  }

  std::string issue_body() {
    return R"({"purpose":"issue","name":"张三","id_number":")" + id_ + R"("})";
  }

  std::string face_body(const std::string& image) {
    return R"({"image_base64":")" + crypto::to_base64(image) + R"("})";
  }

  std::string last_code() {
    auto sms = server_.call("GET", std::string("/v1/sandbox/sms?phone=") + kReservedPhone);
    return sms_code_in(std::string(sms.json().at("items").as_array().at(0).at("text").as_string()));
  }

  std::string issue_by_face(const Channel& c, const std::string& password = "258147") {
    const auto vid = start(c, issue_body());
    EXPECT_EQ(as(c, "POST", "/v1/verifications/" + vid + "/face", face_body("face")).status, 200);
    auto issued = as(c, "POST", "/v1/ecards",
                     R"({"verification_id":")" + vid + R"(","password":")" + password + R"("})");
    EXPECT_EQ(issued.status, 201) << issued.body;
    return issued.status == 201 ? std::string(issued.json().at("binding_id").as_string()) : "";
  }

  std::string status_of(const Channel& c, const std::string& binding) {
    return std::string(as(c, "GET", "/v1/ecards/" + binding).json().at("status").as_string());
  }

  TestServer server_;
  std::string admin_, clerk_, teller_;
  Channel gov_, bank_;
  std::string id_, card_no_;
};

// R-S2: a signed status read checks the channel's signature against its record and reads
// the binding, its card and person in one snapshot: one read transaction, on either store,
// and on PostgreSQL one round trip (whether the remembered record still stands goes with
// the binding's read).
TEST_F(EcardApiTest, R_S2_SignedStatusReadIsOneReadTransactionAndOneRoundTrip) {
  const auto binding = issue_by_face(gov_);
  const auto& db = server_.platform().ctx().db;
  ASSERT_EQ(as(gov_, "GET", "/v1/ecards/" + binding).status, 200);  // its statements prepared
  const auto before = db.read_transactions();
  const auto round_trips_before = db.round_trips();
  ASSERT_EQ(as(gov_, "GET", "/v1/ecards/" + binding).status, 200);
  EXPECT_EQ(db.read_transactions() - before, 1u);
  EXPECT_EQ(db.round_trips() - round_trips_before, server_.platform().postgres_schema() ? 1u : 0u);
  // Another channel's binding is refused from the same single snapshot.
  const auto refused_before = db.read_transactions();
  EXPECT_EQ(as(bank_, "GET", "/v1/ecards/" + binding).status, 404);
  EXPECT_EQ(db.read_transactions() - refused_before, 1u);
}

// A status read runs while its nonce's claim travels (authenticate_overlapped): a replay,
// or a call over the channel's quota, still answers only its refusal, nothing of the card.
TEST_F(EcardApiTest, R_S2_R_S4_AReplayedOrOverQuotaStatusReadAnswersOnlyItsRefusal) {
  const auto binding = issue_by_face(gov_);
  const auto path = "/v1/ecards/" + binding;
  const auto now = server_.platform().clock().now_seconds();
  const auto read = [&](const std::string& nonce) {
    return server_.signed_call(gov_.id, gov_.secret, "GET", path, {}, now, nonce);
  };
  const auto first = read("status-nonce-0001");
  ASSERT_EQ(first.status, 200) << first.body;
  EXPECT_NE(first.body.find(binding), std::string::npos);
  const auto replay = read("status-nonce-0001");
  EXPECT_EQ(replay.error_code(), "NONCE_REUSED");
  EXPECT_EQ(replay.body.find(binding), std::string::npos);

  ASSERT_EQ(
      server_.as(admin_, "PATCH", "/v1/clients/" + gov_.id, R"({"requests_per_minute":1})").status,
      200);
  const auto limited = read("status-nonce-0002");
  EXPECT_EQ(limited.error_code(), "RATE_LIMITED");
  EXPECT_TRUE(limited.json().at("error").as_object().contains("retry_after")) << limited.body;
  EXPECT_EQ(limited.body.find(binding), std::string::npos);
  EXPECT_EQ(read("status-nonce-0002").error_code(), "NONCE_REUSED");  // counted once, then a replay
}

// R-S2: a status read signed by a channel the server remembers is checked against that
// record at once; a suspension or a new secret committed since still refuses it, with
// nothing of the card, and the next read with the new secret passes.
TEST_F(EcardApiTest, R_S2_ARememberedChannelSuspendedOrGivenANewSecretIsRefusedAtOnce) {
  const auto binding = issue_by_face(gov_);
  const auto path = "/v1/ecards/" + binding;
  ASSERT_EQ(as(gov_, "GET", path).status, 200);  // remembered
  ASSERT_EQ(server_.as(admin_, "POST", "/v1/clients/" + gov_.id + "/suspend").status, 200);
  const auto suspended = as(gov_, "GET", path);
  EXPECT_EQ(suspended.error_code(), "CLIENT_SUSPENDED");
  EXPECT_EQ(suspended.body.find(binding), std::string::npos);
  ASSERT_EQ(server_.as(admin_, "POST", "/v1/clients/" + gov_.id + "/resume").status, 200);
  ASSERT_EQ(as(gov_, "GET", path).status, 200);

  const auto rotated = server_.as(admin_, "POST", "/v1/clients/" + gov_.id + "/rotate-secret");
  ASSERT_EQ(rotated.status, 200);
  const auto old_secret = as(gov_, "GET", path);
  EXPECT_EQ(old_secret.error_code(), "UNAUTHENTICATED");
  EXPECT_EQ(old_secret.body.find(binding), std::string::npos);
  gov_.secret = std::string(rotated.json().at("client_secret").as_string());
  EXPECT_EQ(as(gov_, "GET", path).status, 200);
  EXPECT_EQ(as(gov_, "GET", path).status, 200);
}

TEST_F(EcardApiTest, R_E5_RefusalsAnswerAtTheVerificationWithHotline) {
  auto mismatch = as(gov_, "POST", "/v1/verifications",
                     R"({"purpose":"issue","name":"李四","id_number":")" + id_ + R"("})");
  EXPECT_EQ(mismatch.status, 422);
  EXPECT_EQ(mismatch.error_code(), "NAME_ID_MISMATCH");
  ASSERT_EQ(server_.as(clerk_, "POST", "/v1/cards/" + card_no_ + "/report-loss").status, 200);
  auto lost = as(gov_, "POST", "/v1/verifications", issue_body());
  EXPECT_EQ(lost.error_code(), "CARD_REPORTED_LOST");
  EXPECT_EQ(lost.json().at("error").at("hotline").as_string(), "12333");
  EXPECT_EQ(as(gov_, "POST", "/v1/verifications", R"({"purpose":"lunch"})").error_code(),
            "INVALID_REQUEST");
  EXPECT_EQ(server_.call("POST", "/v1/verifications", issue_body()).error_code(),
            "UNAUTHENTICATED");
}

TEST_F(EcardApiTest, R_E6_FaceFailureFallsBackToSmsAndGivesLevelTwo) {
  const auto vid = start(gov_, issue_body());
  auto failed =
      as(gov_, "POST", "/v1/verifications/" + vid + "/face", face_body("sandbox:liveness_fail"));
  EXPECT_EQ(failed.status, 422);
  EXPECT_EQ(failed.error_code(), "FACE_LIVENESS_FAILED");
  EXPECT_EQ(failed.json().at("error").at("fallback").as_string(), "sms");
  auto down = as(gov_, "POST", "/v1/verifications/" + vid + "/face", face_body("sandbox:error"));
  EXPECT_EQ(down.status, 503);
  EXPECT_EQ(down.error_code(), "FACE_SERVICE_UNAVAILABLE");
  EXPECT_EQ(as(gov_, "POST", "/v1/verifications/" + vid + "/face", R"({"image_base64":"%%%"})")
                .error_code(),
            "INVALID_REQUEST");

  auto sent = as(gov_, "POST", "/v1/verifications/" + vid + "/sms",
                 R"({"bank_account_no":")" + std::string(kAccount) + R"(","phone":")" +
                     kReservedPhone + R"("})");
  ASSERT_EQ(sent.status, 200) << sent.body;
  EXPECT_EQ(sent.json().at("phone_masked").as_string(), "139****9000");
  auto wrong = as(gov_, "POST", "/v1/verifications/" + vid + "/sms/verify", R"({"code":"000000"})");
  EXPECT_EQ(wrong.error_code(), "OTP_INVALID");
  EXPECT_EQ(wrong.json().at("error").at("tries_left").as_int64(), 4);
  auto verified = as(gov_, "POST", "/v1/verifications/" + vid + "/sms/verify",
                     R"({"code":")" + last_code() + R"("})");
  ASSERT_EQ(verified.status, 200) << verified.body;
  EXPECT_EQ(verified.json().at("level").as_int64(), 2);
  EXPECT_EQ(verified.json().at("password_set"), false);  // a first e-card: a new password

  auto weak =
      as(gov_, "POST", "/v1/ecards", R"({"verification_id":")" + vid + R"(","password":"123456"})");
  EXPECT_EQ(weak.error_code(), "WEAK_PASSWORD");
  EXPECT_EQ(weak.json().at("error").at("reason").as_string(), "sequential");
  auto issued =
      as(gov_, "POST", "/v1/ecards", R"({"verification_id":")" + vid + R"(","password":"258147"})");
  ASSERT_EQ(issued.status, 201) << issued.body;
  EXPECT_EQ(issued.json().at("level").as_int64(), 2);
  EXPECT_EQ(issued.json().at("card").at("id_number_masked").as_string(),
            id_.substr(0, 3) + "***********" + id_.substr(14));
  EXPECT_EQ(issued.body.find(id_), std::string::npos);
  bool contribution_available = false;
  const auto answer = issued.json();
  for (const auto& s : answer.at("services").as_array()) {
    if (s.at("code").as_string() == "contribution")
      contribution_available = s.at("available").as_bool();
  }
  EXPECT_TRUE(contribution_available);
}

TEST_F(EcardApiTest, R_E7_R_W3_TwoChannelsSharePasswordAndLockout) {
  const auto first = start(gov_, issue_body());
  EXPECT_EQ(as(gov_, "POST", "/v1/verifications/" + first + "/face", face_body("face"))
                .json()
                .at("password_set"),
            false);
  const auto in_gov = as(gov_, "POST", "/v1/ecards",
                         R"({"verification_id":")" + first + R"(","password":"258147"})");
  ASSERT_EQ(in_gov.status, 201);
  const std::string a(in_gov.json().at("binding_id").as_string());
  const auto vid = start(bank_, issue_body());
  const auto passed = as(bank_, "POST", "/v1/verifications/" + vid + "/face", face_body("face"));
  ASSERT_EQ(passed.status, 200);
  EXPECT_EQ(passed.json().at("password_set"), true);  // the new channel asks for the existing one
  auto wrong = as(bank_, "POST", "/v1/ecards",
                  R"({"verification_id":")" + vid + R"(","password":"369258"})");
  EXPECT_EQ(wrong.error_code(), "PASSWORD_INCORRECT");
  EXPECT_EQ(wrong.json().at("error").at("tries_left").as_int64(), 4);
  auto issued = as(bank_, "POST", "/v1/ecards",
                   R"({"verification_id":")" + vid + R"(","password":"258147"})");
  ASSERT_EQ(issued.status, 201);
  const std::string b(issued.json().at("binding_id").as_string());
  EXPECT_EQ(issued.json().at("level").as_int64(), 1);

  EXPECT_EQ(as(gov_, "POST", "/v1/ecards/" + a + "/password/change",
               R"({"old_password":"258147","new_password":"147036"})")
                .status,
            204);
  EXPECT_EQ(
      as(bank_, "POST", "/v1/ecards/" + b + "/unlink", R"({"password":"258147"})").error_code(),
      "PASSWORD_INCORRECT");
  EXPECT_EQ(as(gov_, "GET", "/v1/ecards/" + b).status, 404);  // another channel's binding
  EXPECT_EQ(as(bank_, "POST", "/v1/ecards/" + b + "/unlink", R"({"password":"147036"})").status,
            204);
  EXPECT_EQ(status_of(bank_, b), "unlinked");
  EXPECT_EQ(status_of(gov_, a), "usable");
}

TEST_F(EcardApiTest, R_L1_R_L2_R_L3_LossAndReplacementFollowTheCard) {
  const auto a = issue_by_face(gov_);
  const auto b = issue_by_face(bank_);
  const auto card = server_.as(teller_, "GET", "/v1/cards/" + card_no_).json();
  EXPECT_EQ(card.at("ecard").at("bindings").as_int64(), 2);
  EXPECT_EQ(card.at("ecard").at("level").as_int64(), 1);
  const auto& channels = card.at("ecard").at("channels").as_array();
  ASSERT_EQ(channels.size(), 2u);
  std::set<std::string> types;
  for (const auto& channel : channels) {
    types.insert(std::string(channel.at("channel_type").as_string()));
    EXPECT_EQ(channel.at("status"), "usable");
  }
  EXPECT_EQ(types, (std::set<std::string>{"gov", "bank"}));
  EXPECT_FALSE(channels[0].as_object().contains("binding_id"));  // the channel's own handle
  auto lost = as(gov_, "POST", "/v1/ecards/" + a + "/report-loss", R"({"password":"258147"})");
  ASSERT_EQ(lost.status, 200) << lost.body;
  EXPECT_EQ(lost.json().at("status").as_string(), "suspended");
  EXPECT_EQ(status_of(bank_, b), "suspended");
  const auto lost_card = server_.as(clerk_, "GET", "/v1/cards/" + card_no_).json();
  EXPECT_EQ(lost_card.at("status").as_string(), "lost");
  EXPECT_EQ(lost_card.at("ecard").at("channels").at(0).at("status"), "suspended");

  const auto vid = start(bank_, R"({"purpose":"cancel_loss","binding_id":")" + b + R"("})");
  ASSERT_EQ(as(bank_, "POST", "/v1/verifications/" + vid + "/face", face_body("face")).status, 200);
  auto restored = as(bank_, "POST", "/v1/ecards/" + b + "/cancel-loss",
                     R"({"verification_id":")" + vid + R"("})");
  ASSERT_EQ(restored.status, 200) << restored.body;
  EXPECT_EQ(status_of(gov_, a), "usable");
  auto inbox = as(gov_, "GET", "/v1/ecards/" + a + "/notifications?limit=2");
  ASSERT_EQ(inbox.status, 200);
  EXPECT_EQ(inbox.json().at("items").as_array().size(), 2u);
  EXPECT_EQ(inbox.json().at("items").as_array().at(0).at("type").as_string(), "ecard.restored");
  EXPECT_TRUE(inbox.json().at("next_cursor").is_string());

  auto replaced = server_.as(clerk_, "POST", "/v1/cards/" + card_no_ + "/replace");
  ASSERT_EQ(replaced.status, 201);
  EXPECT_EQ(status_of(gov_, a), "unlinked");
  EXPECT_EQ(status_of(bank_, b), "unlinked");
  const auto replaced_card = server_.as(clerk_, "GET", "/v1/cards/" + card_no_).json();
  EXPECT_EQ(replaced_card.at("ecard").at("bindings").as_int64(), 0);
  EXPECT_TRUE(replaced_card.at("ecard").at("channels").as_array().empty());
  EXPECT_EQ(as(gov_, "POST", "/v1/verifications", issue_body()).error_code(), "CARD_NOT_COLLECTED");
  // The old e-card's bindings read nothing more (R_L3_ReplacedCardsBindingsReadNothingMore).
  EXPECT_EQ(as(gov_, "GET", "/v1/ecards/" + a + "/notifications").error_code(), "ECARD_UNLINKED");
}

TEST_F(EcardApiTest, R_E1_R_E8_R_L3_UnlinkedChannelReadsNothingButItsStatus) {
  const auto a = issue_by_face(gov_);
  const auto b = issue_by_face(bank_);
  EXPECT_EQ(as(gov_, "POST", "/v1/ecards/" + a + "/unlink", R"({"password":"258147"})").status,
            204);
  for (const std::string route :
       {"/account", "/records?kind=settlements", "/records?kind=auth", "/notifications"}) {
    const auto answer = as(gov_, "GET", "/v1/ecards/" + a + route);
    EXPECT_EQ(answer.status, 422) << route;
    EXPECT_EQ(answer.error_code(), "ECARD_UNLINKED") << route;
  }
  EXPECT_EQ(
      as(gov_, "POST", "/v1/ecards/" + a + "/sessions", R"({"password":"258147"})").error_code(),
      "ECARD_UNLINKED");
  EXPECT_EQ(status_of(gov_, a), "unlinked");
  EXPECT_EQ(as(bank_, "GET", "/v1/ecards/" + b + "/account").status, 200);

  // Suspended (R-L1, R-L6): used nowhere, but its status, inbox and records still read.
  EXPECT_EQ(
      as(bank_, "POST", "/v1/ecards/" + b + "/report-loss", R"({"password":"258147"})").status,
      200);
  EXPECT_EQ(as(bank_, "GET", "/v1/ecards/" + b + "/account").status, 200);
  EXPECT_EQ(as(bank_, "GET", "/v1/ecards/" + b + "/records?kind=auth").status, 200);
  const auto inbox = as(bank_, "GET", "/v1/ecards/" + b + "/notifications");
  EXPECT_EQ(inbox.status, 200);
  EXPECT_NE(inbox.body.find("ecard.suspended"), std::string::npos);
  EXPECT_EQ(
      as(bank_, "POST", "/v1/ecards/" + b + "/contributions",
         R"({"password":"258147","insurance":"resident_medical","period":"2027","amount_fen":38000})")
          .error_code(),
      "ECARD_SUSPENDED");
  EXPECT_EQ(status_of(bank_, b), "suspended");
}

TEST_F(EcardApiTest, R_E2_InboxNeverShowsAnotherChannelsBindingId) {
  const auto a = issue_by_face(gov_);
  const auto b = issue_by_face(bank_);
  EXPECT_EQ(as(bank_, "POST", "/v1/ecards/" + b + "/unlink", R"({"password":"258147"})").status,
            204);
  const auto inbox = as(gov_, "GET", "/v1/ecards/" + a + "/notifications");
  ASSERT_EQ(inbox.status, 200);
  EXPECT_EQ(inbox.body.find(b), std::string::npos) << inbox.body;
  const auto body = inbox.json();
  const auto& items = body.at("items").as_array();
  ASSERT_EQ(items.size(), 3u);  // issued here, issued there, unlinked there
  EXPECT_EQ(items.at(0).at("type").as_string(), "ecard.unlinked");
  EXPECT_EQ(items.at(0).at("channel_name").as_string(), "渠道");
  EXPECT_FALSE(items.at(0).as_object().contains("binding_id"));
  EXPECT_EQ(items.at(2).at("binding_id").as_string(), a);
}

TEST_F(EcardApiTest, R_W4_ParallelWrongPasswordsOverHttpGetNoMoreThanFiveTries) {
  const auto a = issue_by_face(gov_);
  const auto& hasher = server_.platform().ctx().hasher;
  const auto checks_before = hasher.verifications_run();
  std::atomic<int> opened{0};
  std::vector<std::thread> burst;
  for (int i = 0; i < 40; ++i) {
    burst.emplace_back([&] {
      opened +=
          as(gov_, "POST", "/v1/ecards/" + a + "/sessions", R"({"password":"369258"})").status ==
          201;
    });
  }
  for (auto& t : burst) t.join();
  EXPECT_EQ(opened, 0);
  EXPECT_LE(hasher.verifications_run() - checks_before, 5u);
  EXPECT_EQ(
      as(gov_, "POST", "/v1/ecards/" + a + "/sessions", R"({"password":"258147"})").error_code(),
      "PASSWORD_LOCKED");
}

TEST_F(EcardApiTest, R_E3_UpgradeToLevelTwoOverHttp) {
  const auto a = issue_by_face(gov_);
  const auto vid = start(gov_, R"({"purpose":"upgrade","binding_id":")" + a + R"("})");
  ASSERT_EQ(as(gov_, "POST", "/v1/verifications/" + vid + "/sms",
               R"({"bank_account_no":")" + std::string(kAccount) + R"(","phone":")" +
                   kReservedPhone + R"("})")
                .status,
            200);
  ASSERT_EQ(as(gov_, "POST", "/v1/verifications/" + vid + "/sms/verify",
               R"({"code":")" + last_code() + R"("})")
                .status,
            200);
  auto upgraded =
      as(gov_, "POST", "/v1/ecards/" + a + "/upgrade", R"({"verification_id":")" + vid + R"("})");
  ASSERT_EQ(upgraded.status, 200) << upgraded.body;
  EXPECT_EQ(upgraded.json().at("level").as_int64(), 2);
}

}  // namespace
}  // namespace essc::testing
