// The HTTP API against the real server on a loopback port: every route of the
// foundation, its roles and its error codes (API.md; R-P1, R-C1, R-C3, R-S2, R-S6).
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <set>

#include "common/limits.hpp"
#include "domain/operator.hpp"
#include "support/test_server.hpp"

namespace essc::testing {
namespace {

using domain::OperatorRole;

class ApiTest : public ::testing::Test {
 protected:
  ApiTest()
      : admin_(server_.login_as(domain::OperatorRole::kAdmin)),
        clerk_(server_.login_as(domain::OperatorRole::kHrClerk)),
        teller_(server_.login_as(domain::OperatorRole::kBankTeller, "NBCB")) {}

  std::string person_body(const std::string& id, const std::string& name = "张三") {
    return R"({"name":")" + name + R"(","id_number":")" + id +
           R"(","region_code":"330200","phone":"13800138000","photo_on_file":{"police":true,"cardholder":false}})";
  }

  // A person with an active card of bank NBCB; returns the card number.
  std::string active_card(const std::string& id) {
    EXPECT_EQ(server_.as(clerk_, "POST", "/v1/persons", person_body(id)).status, 201);
    auto card = server_.as(clerk_, "POST", "/v1/cards",
                           R"({"id_number":")" + id + R"(","bank_code":"NBCB"})");
    EXPECT_EQ(card.status, 201) << card.body;
    const std::string no(card.json().at("card_no").as_string());
    EXPECT_EQ(server_.as(clerk_, "POST", "/v1/cards/" + no + "/collect").status, 200);
    EXPECT_EQ(server_.as(clerk_, "POST", "/v1/cards/" + no + "/activate", R"({"hr_pin":"246810"})")
                  .status,
              200);
    return no;
  }

  TestServer server_;
  std::string admin_, clerk_, teller_;
};

// Only what touches memory and one short local read runs on the I/O thread; a write,
// Argon2id or a read across the network (PostgreSQL) goes to the worker pool.
TEST_F(ApiTest, RoutesRunInlineOnlyWhenTheirWorkIsMemoryOrALocalShortRead) {
  const auto inline_for = [&](std::string method, std::string target) {
    http::Request request;
    request.method = std::move(method);
    request.target = std::move(target);
    return server_.api().runs_inline(request);
  };
  const bool local = server_.platform().ctx().db.reads_are_local();
  EXPECT_TRUE(inline_for("GET", "/healthz"));
  EXPECT_TRUE(inline_for("GET", "/metrics"));
  EXPECT_TRUE(inline_for("GET", "/v1/keys"));
  EXPECT_TRUE(inline_for("HEAD", "/v1/rules"));
  EXPECT_FALSE(
      inline_for("GET", "/readyz"));  // its probe has a connection and a timeout of its own
  EXPECT_EQ(inline_for("GET", "/v1/ecards/bd_1?x=1"), local);
  EXPECT_EQ(inline_for("GET", "/v1/ecards/bd_1/card-face"), local);
  EXPECT_FALSE(inline_for("POST", "/v1/ecards/bd_1/sessions"));  // Argon2id and a write
  EXPECT_FALSE(inline_for("POST", "/v1/settlements"));
  EXPECT_FALSE(inline_for("GET", "/v1/audit"));  // a long query
  EXPECT_FALSE(inline_for("GET", "/v1/nowhere"));
  EXPECT_FALSE(inline_for("GET", "no-slash"));
}

TEST_F(ApiTest, ServiceEndpointsAnswerAndCarryRequestIds) {
  auto health = server_.call("GET", "/healthz");
  EXPECT_EQ(health.status, 200);
  EXPECT_TRUE(health.header("x-request-id").has_value());
  EXPECT_EQ(server_.call("GET", "/readyz").status, 200);
  auto metrics = server_.call("GET", "/metrics");
  EXPECT_EQ(metrics.status, 200);
  EXPECT_NE(metrics.body.find(
                "essc_http_requests_total{method=\"GET\",route=\"/healthz\",status=\"200\"}"),
            std::string::npos);
  EXPECT_NE(metrics.body.find("essc_http_request_duration_seconds_bucket"), std::string::npos);
  // What waits in the store, as `essc serve` reads it every few seconds for the alerts.
  server_.platform().platform().backlogs.refresh(60'000, {});
  metrics = server_.call("GET", "/metrics");
  EXPECT_NE(metrics.body.find("\nessc_audit_pending_entries "), std::string::npos);
  EXPECT_NE(metrics.body.find("\nessc_bank_transfers_overdue 0\n"), std::string::npos);
  auto missing = server_.call("GET", "/v1/nowhere");
  EXPECT_EQ(missing.status, 404);
  EXPECT_EQ(missing.error_code(), "NOT_FOUND");
  const auto error = missing.json().at("error").as_object();
  EXPECT_EQ(error.at("hotline").as_string(), "12333");
  EXPECT_EQ(error.at("request_id").as_string(), *missing.header("x-request-id"));
  EXPECT_FALSE(error.at("message").as_string().empty());
  EXPECT_FALSE(error.at("message_en").as_string().empty());
}

TEST_F(ApiTest, OpenApiDocumentDescribesExactlyTheServersRoutes) {
  auto answer = server_.call("GET", "/openapi.json");
  ASSERT_EQ(answer.status, 200);
  const auto doc = answer.json();
  EXPECT_EQ(doc.at("openapi").as_string().subview().substr(0, 3), "3.1");
  std::set<std::string> documented;
  for (const auto& [path, item] : doc.at("paths").as_object()) {
    for (const auto& [method, operation] : item.as_object()) {
      if (method == "parameters" || method == "summary" || method == "description") continue;
      std::string upper(method);
      for (auto& ch : upper) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
      documented.insert(upper + " " + std::string(path));
    }
  }
  std::set<std::string> served;
  http::Api api(server_.platform().platform());
  for (const auto& route : api.router().routes()) served.insert(route.method + " " + route.pattern);
  EXPECT_EQ(documented, served);
}

TEST_F(ApiTest, OperatorLoginLogoutAndBadCredentials) {
  auto wrong = server_.call("POST", "/v1/operator/sessions",
                            R"({"username":"admin1","password":"nope-nope-nope"})");
  EXPECT_EQ(wrong.status, 401);
  EXPECT_EQ(wrong.error_code(), "UNAUTHENTICATED");
  EXPECT_EQ(server_.call("GET", "/v1/audit/verify").error_code(), "UNAUTHENTICATED");
  EXPECT_EQ(server_.as("not-a-token", "GET", "/v1/audit/verify").error_code(), "SESSION_INVALID");
  const auto token = server_.login_as(domain::OperatorRole::kAdmin);
  EXPECT_EQ(server_.as(token, "GET", "/v1/audit/verify").status, 200);
  EXPECT_EQ(server_.as(token, "DELETE", "/v1/operator/sessions/current").status, 204);
  EXPECT_EQ(server_.as(token, "GET", "/v1/audit/verify").error_code(), "SESSION_INVALID");
}

TEST_F(ApiTest, RolesAreEnforcedOnEveryOperatorRoute) {
  EXPECT_EQ(server_
                .as(clerk_, "POST", "/v1/operators",
                    R"({"username":"x1","password":"long-enough-pw","role":"admin"})")
                .error_code(),
            "FORBIDDEN");
  EXPECT_EQ(
      server_.as(teller_, "POST", "/v1/persons", person_body(make_id_number("33020219900307123")))
          .status,
      403);
  EXPECT_EQ(server_.as(clerk_, "GET", "/v1/audit").status, 403);
  EXPECT_EQ(server_
                .as(clerk_, "POST", "/v1/clients",
                    R"({"kind":"channel","name":"x","channel_type":"gov"})")
                .status,
            403);
  auto made = server_.as(
      admin_, "POST", "/v1/operators",
      R"({"username":"teller9","password":"long-enough-pw","role":"bank_teller","bank_code":"ICBC"})");
  EXPECT_EQ(made.status, 201) << made.body;
  EXPECT_EQ(made.json().at("bank_code").as_string(), "ICBC");
  const auto teller = server_.call("POST", "/v1/operator/sessions",
                                   R"({"username":"teller9","password":"long-enough-pw"})");
  EXPECT_EQ(teller.json().at("bank_code"), "ICBC");
}

TEST_F(ApiTest, BadInputIsA400NamingTheField) {
  auto malformed = server_.as(clerk_, "POST", "/v1/persons", "{not json");
  EXPECT_EQ(malformed.status, 400);
  EXPECT_EQ(malformed.error_code(), "INVALID_REQUEST");
  auto not_object = server_.as(clerk_, "POST", "/v1/persons", "[1,2]");
  EXPECT_EQ(not_object.error_code(), "INVALID_REQUEST");
  auto wrong_type =
      server_.as(clerk_, "POST", "/v1/persons",
                 R"({"name":7,"id_number":"x","region_code":"330200","photo_on_file":{}})");
  EXPECT_EQ(wrong_type.status, 400);
  EXPECT_EQ(wrong_type.json().at("error").at("field").as_string(), "name");
  auto bad_photo =
      server_.as(clerk_, "POST", "/v1/persons",
                 R"({"name":"张三","id_number":"11010519491231002X","region_code":"330200",)"
                 R"("photo_on_file":{"police":"yes","cardholder":true}})");
  EXPECT_EQ(bad_photo.json().at("error").at("field").as_string(), "photo_on_file.police");
  auto deep = std::string(200, '[') + std::string(200, ']');
  EXPECT_EQ(server_.as(clerk_, "POST", "/v1/persons", deep).status, 400);
  auto amount = server_.as(clerk_, "POST", "/v1/accounts/medical/credits",
                           R"({"id_number":"11010519491231002X","amount_fen":1.5,"memo":"m"})");
  EXPECT_EQ(amount.json().at("error").at("field").as_string(), "amount_fen");
}

TEST_F(ApiTest, OversizedBodyIs413) {
  const std::string huge(3 * 1024 * 1024, 'a');
  auto answer = server_.as(clerk_, "POST", "/v1/persons", huge);
  EXPECT_EQ(answer.status, 413);
  EXPECT_EQ(answer.error_code(), "PAYLOAD_TOO_LARGE");
}

TEST_F(ApiTest, R_P1_PersonsAreValidatedAndReadBack) {
  auto bad = server_.as(clerk_, "POST", "/v1/persons", person_body("110105194912310021"));
  EXPECT_EQ(bad.status, 400);
  EXPECT_EQ(bad.error_code(), "INVALID_ID_NUMBER");
  const auto id = make_id_number("33020219900307123");
  auto made = server_.as(clerk_, "POST", "/v1/persons", person_body(id));
  ASSERT_EQ(made.status, 201) << made.body;
  EXPECT_EQ(server_.as(clerk_, "POST", "/v1/persons", person_body(id)).error_code(), "CONFLICT");
  auto read = server_.as(clerk_, "GET", "/v1/persons/" + id);
  ASSERT_EQ(read.status, 200);
  EXPECT_EQ(read.json().at("name").as_string(), "张三");
  EXPECT_EQ(read.json().at("photo_on_file").at("police").as_bool(), true);
  EXPECT_EQ(server_.as(clerk_, "GET", "/v1/persons/" + make_id_number("33020219900307124")).status,
            404);
  EXPECT_EQ(server_.as(clerk_, "GET", "/v1/persons/abc").error_code(), "INVALID_ID_NUMBER");
}

// A teller of one bank read another bank's cardholder unmasked. A teller sees only persons
// whose card their bank issued, as NOT_FOUND otherwise (like an unknown ID number), and
// sees name and phone masked.
TEST_F(ApiTest, R_S5_ATellerSeesOnlyTheOwnBanksCardholdersMasked) {
  const auto cardless = make_id_number("33020219900307124");
  ASSERT_EQ(server_.as(clerk_, "POST", "/v1/persons", person_body(cardless)).status, 201);
  EXPECT_EQ(server_.as(teller_, "GET", "/v1/persons/" + cardless).status, 404) << "no card yet";
  const auto id = make_id_number("33020219900307123");
  const auto other_bank = server_.login_as(domain::OperatorRole::kBankTeller, "ICBC");
  (void)active_card(id);  // issued by NBCB
  EXPECT_EQ(server_.as(other_bank, "GET", "/v1/persons/" + id).error_code(), "NOT_FOUND");
  auto own = server_.as(teller_, "GET", "/v1/persons/" + id);
  ASSERT_EQ(own.status, 200) << own.body;
  EXPECT_EQ(own.json().at("name").as_string(), "*三");
  EXPECT_TRUE(own.json().at("masked").as_bool());
  EXPECT_EQ(own.body.find("张三"), std::string::npos);
  EXPECT_EQ(own.json().at("id_number").as_string(), id) << "the key the teller typed";
  EXPECT_EQ(own.json().at("phone").as_string(), "138****8000");
  EXPECT_EQ(own.json().at("card").at("status").as_string(), "active");
  EXPECT_EQ(server_.as(clerk_, "GET", "/v1/persons/" + id).json().at("name").as_string(), "张三");
  // R-C3: the same for the card: another bank's teller reads it as if it did not exist.
  const auto card = server_.as(clerk_, "GET", "/v1/persons/" + id).json().at("card").at("card_no");
  const auto card_no = std::string(card.as_string());
  EXPECT_EQ(server_.as(teller_, "GET", "/v1/cards/" + card_no).status, 200);
  const auto refused = server_.as(other_bank, "GET", "/v1/cards/" + card_no);
  EXPECT_EQ(refused.status, 404);
  EXPECT_EQ(refused.body.find("*三"), std::string::npos);
}

// An API answer may carry a login token or an unmasked card face: no cache keeps one and
// no browser sniffs one into another type.
TEST_F(ApiTest, R_S5_EveryApiAnswerIsNoStoreAndNosniff) {
  for (const auto& answer : {server_.call("GET", "/v1/rules"), server_.call("GET", "/v1/nowhere"),
                             server_.as(clerk_, "GET", "/v1/persons/abc")}) {
    EXPECT_EQ(answer.header("cache-control"), "no-store");
    EXPECT_EQ(answer.header("x-content-type-options"), "nosniff");
  }
}

TEST_F(ApiTest, R_C1_CardLifeCycleOverHttp) {
  const auto id = make_id_number("33020219880808123");
  const auto no = active_card(id);
  auto card = server_.as(teller_, "GET", "/v1/cards/" + no);
  ASSERT_EQ(card.status, 200);
  EXPECT_EQ(card.json().at("status").as_string(), "active");
  EXPECT_EQ(card.json().at("id_number_masked").as_string(),
            id.substr(0, 3) + "***********" + id.substr(14));
  EXPECT_EQ(server_.as(clerk_, "POST", "/v1/cards/" + no + "/collect").error_code(),
            "INVALID_STATE_TRANSITION");
  EXPECT_EQ(server_.as(clerk_, "POST", "/v1/cards/" + no + "/collect").status, 409);
  EXPECT_EQ(server_.as(clerk_, "POST", "/v1/cards/" + no + "/report-loss")
                .json()
                .at("status")
                .as_string(),
            "lost");
  EXPECT_EQ(server_.as(clerk_, "POST", "/v1/cards/" + no + "/cancel-loss")
                .json()
                .at("status")
                .as_string(),
            "active");
  EXPECT_EQ(server_.as(clerk_, "POST", "/v1/cards/" + no + "/lock").json().at("status").as_string(),
            "locked");
  EXPECT_EQ(
      server_.as(clerk_, "POST", "/v1/cards/" + no + "/unlock").json().at("status").as_string(),
      "active");
  auto replaced = server_.as(clerk_, "POST", "/v1/cards/" + no + "/replace");
  ASSERT_EQ(replaced.status, 201);
  EXPECT_EQ(replaced.json().at("status").as_string(), "pending_pickup");
  EXPECT_EQ(replaced.json().at("replaces_card_no").as_string(), no);
  const std::string fresh(replaced.json().at("card_no").as_string());
  EXPECT_EQ(server_.as(clerk_, "GET", "/v1/cards/" + no).json().at("status").as_string(),
            "replaced");
  EXPECT_EQ(
      server_.as(clerk_, "POST", "/v1/cards/" + fresh + "/cancel").json().at("status").as_string(),
      "cancelled");
  EXPECT_EQ(server_.as(clerk_, "GET", "/v1/cards/123").error_code(), "INVALID_CARD_NO");
  EXPECT_EQ(server_.as(clerk_, "GET", "/v1/cards/Z00000000").status, 404);
  EXPECT_EQ(server_.as(clerk_, "POST", "/v1/cards/" + fresh + "/activate", R"({"hr_pin":"12"})")
                .error_code(),
            "INVALID_PASSWORD_FORMAT");
}

TEST_F(ApiTest, R_C3_FinancialActivationByTheCardsOwnBank) {
  const auto no = active_card(make_id_number("33020219770707123"));
  const std::string body =
      R"({"bank_account_no":"6222021234567890128","reserved_phone":"13900139000","financial_pin":"135790"})";
  const auto other = server_.login_as(domain::OperatorRole::kBankTeller, "ICBC");
  EXPECT_EQ(server_.as(other, "POST", "/v1/cards/" + no + "/financial/activate", body).error_code(),
            "FORBIDDEN");
  EXPECT_EQ(server_.as(clerk_, "POST", "/v1/cards/" + no + "/financial/activate", body).status,
            403);
  auto done = server_.as(teller_, "POST", "/v1/cards/" + no + "/financial/activate", body);
  ASSERT_EQ(done.status, 200) << done.body;
  EXPECT_TRUE(done.json().at("financial_active").as_bool());
  EXPECT_EQ(done.body.find("6222021234567890128"), std::string::npos);
  auto phone = server_.as(teller_, "PUT", "/v1/cards/" + no + "/financial/reserved-phone",
                          R"({"reserved_phone":"1370013700"})");
  EXPECT_EQ(phone.error_code(), "INVALID_PHONE");
  EXPECT_EQ(server_
                .as(teller_, "PUT", "/v1/cards/" + no + "/financial/reserved-phone",
                    R"({"reserved_phone":"13700137000"})")
                .status,
            200);
}

TEST_F(ApiTest, R_U6_CreditsAndBenefits) {
  const auto id = make_id_number("33020219660606123");
  const auto no = active_card(id);
  auto credit = server_.as(clerk_, "POST", "/v1/accounts/medical/credits",
                           R"({"id_number":")" + id + R"(","amount_fen":20000,"memo":"2026-11"})");
  ASSERT_EQ(credit.status, 200) << credit.body;
  EXPECT_EQ(credit.json().at("balance_after_fen").as_int64(), 20000);
  const std::string benefit =
      R"({"id_number":")" + id + R"(","kind":"pension","period":"2026-11","amount_fen":300000})";
  EXPECT_EQ(server_.as(clerk_, "POST", "/v1/benefits", benefit).error_code(),
            "FINANCIAL_NOT_ACTIVATED");
  ASSERT_EQ(
      server_
          .as(teller_, "POST", "/v1/cards/" + no + "/financial/activate",
              R"({"bank_account_no":"6222021234567890128","reserved_phone":"13900139000","financial_pin":"135790"})")
          .status,
      200);
  auto paid = server_.as(clerk_, "POST", "/v1/benefits", benefit);
  ASSERT_EQ(paid.status, 201) << paid.body;
  EXPECT_EQ(server_.platform().bank().balance_fen("6222021234567890128"), 300000);
  EXPECT_EQ(server_.as(clerk_, "POST", "/v1/benefits", benefit).status, 200);
  EXPECT_EQ(server_.platform().bank().balance_fen("6222021234567890128"), 300000);
}

TEST_F(ApiTest, R_S2_ClientsAreRegisteredAndSignaturesChecked) {
  auto made = server_.as(
      admin_, "POST", "/v1/clients",
      R"({"kind":"channel","name":"银行APP","channel_type":"bank","webhook_url":"https://bank.example/hook"})");
  ASSERT_EQ(made.status, 201) << made.body;
  const std::string id(made.json().at("client_id").as_string());
  const std::string secret(made.json().at("client_secret").as_string());
  EXPECT_FALSE(made.json().at("webhook_secret").as_string().empty());

  auto me = server_.signed_call(id, secret, "GET", "/v1/clients/me");
  ASSERT_EQ(me.status, 200) << me.body;
  EXPECT_EQ(me.json().at("status").as_string(), "active");
  EXPECT_EQ(me.body.find(secret), std::string::npos);

  EXPECT_EQ(server_.call("GET", "/v1/clients/me").error_code(), "UNAUTHENTICATED");
  EXPECT_EQ(server_.signed_call(id, "wrong", "GET", "/v1/clients/me").error_code(),
            "UNAUTHENTICATED");
  const auto now = server_.platform().clock().now_seconds();
  EXPECT_EQ(server_.signed_call(id, secret, "GET", "/v1/clients/me", {}, now - 400).error_code(),
            "SIGNATURE_EXPIRED");
  EXPECT_EQ(server_.signed_call(id, secret, "GET", "/v1/clients/me", {}, std::nullopt, "bad nonce!")
                .error_code(),
            "UNAUTHENTICATED");
  EXPECT_EQ(server_.signed_call(id, secret, "GET", "/v1/clients/me", {}, now, "replayed-nonce-0001")
                .status,
            200);
  EXPECT_EQ(server_.signed_call(id, secret, "GET", "/v1/clients/me", {}, now, "replayed-nonce-0001")
                .error_code(),
            "NONCE_REUSED");

  EXPECT_EQ(
      server_.as(admin_, "POST", "/v1/clients/" + id + "/suspend").json().at("status").as_string(),
      "suspended");
  EXPECT_EQ(server_.signed_call(id, secret, "GET", "/v1/clients/me").error_code(),
            "CLIENT_SUSPENDED");
  EXPECT_EQ(server_.as(admin_, "POST", "/v1/clients/" + id + "/resume").status, 200);
  auto rotated = server_.as(admin_, "POST", "/v1/clients/" + id + "/rotate-secret");
  const std::string fresh(rotated.json().at("client_secret").as_string());
  EXPECT_EQ(server_.signed_call(id, secret, "GET", "/v1/clients/me").error_code(),
            "UNAUTHENTICATED");
  EXPECT_EQ(server_.signed_call(id, fresh, "GET", "/v1/clients/me").status, 200);
  EXPECT_EQ(server_.as(admin_, "POST", "/v1/clients/ch_missing/suspend").status, 404);
}

TEST_F(ApiTest, R_S4_AdministratorsSetEachClientsRequestQuota) {
  auto made = server_.as(
      admin_, "POST", "/v1/clients",
      R"({"kind":"institution","name":"社区药房","institution_type":"pharmacy","requests_per_minute":2})");
  ASSERT_EQ(made.status, 201) << made.body;
  EXPECT_EQ(made.json().at("requests_per_minute").as_int64(), 2);
  const std::string id(made.json().at("client_id").as_string());
  const std::string secret(made.json().at("client_secret").as_string());
  auto me = server_.signed_call(id, secret, "GET", "/v1/clients/me");
  EXPECT_EQ(me.json().at("requests_per_minute").as_int64(), 2);
  EXPECT_EQ(server_.signed_call(id, secret, "GET", "/v1/clients/me").status, 200);
  EXPECT_EQ(server_.signed_call(id, secret, "GET", "/v1/clients/me").error_code(), "RATE_LIMITED");

  auto patched = server_.as(admin_, "PATCH", "/v1/clients/" + id,
                            R"({"requests_per_minute":50,"name":"社区药房二店"})");
  ASSERT_EQ(patched.status, 200) << patched.body;
  EXPECT_EQ(patched.json().at("requests_per_minute").as_int64(), 50);
  EXPECT_EQ(patched.json().at("name").as_string(), "社区药房二店");
  EXPECT_EQ(patched.body.find(secret), std::string::npos);
  EXPECT_EQ(server_.signed_call(id, secret, "GET", "/v1/clients/me").status, 200);

  EXPECT_EQ(server_.as(admin_, "PATCH", "/v1/clients/" + id, R"({"requests_per_minute":0})").status,
            400);
  EXPECT_EQ(
      server_.as(admin_, "PATCH", "/v1/clients/" + id, R"({"requests_per_minute":"many"})").status,
      400);
  EXPECT_EQ(server_.as(clerk_, "PATCH", "/v1/clients/" + id, R"({"requests_per_minute":9})").status,
            403);
  EXPECT_EQ(server_.as(admin_, "PATCH", "/v1/clients/in_missing", R"({"name":"x"})").status, 404);
  auto defaulted = server_.as(admin_, "POST", "/v1/clients",
                              R"({"kind":"channel","name":"政务APP","channel_type":"gov"})");
  EXPECT_EQ(defaulted.json().at("requests_per_minute").as_int64(), 6000);
}

TEST_F(ApiTest, R_S6_AuditListsPagesAndVerifies) {
  active_card(make_id_number("33020219550505123"));
  server_.platform().sequence_audit();
  auto page = server_.as(admin_, "GET", "/v1/audit?limit=3");
  ASSERT_EQ(page.status, 200) << page.body;
  EXPECT_EQ(page.json().at("items").as_array().size(), 3u);
  const std::string cursor(page.json().at("next_cursor").as_string());
  auto next = server_.as(admin_, "GET", "/v1/audit?limit=3&cursor=" + cursor);
  EXPECT_GT(next.json().at("items").as_array().at(0).at("seq").as_int64(),
            page.json().at("items").as_array().at(2).at("seq").as_int64());
  EXPECT_EQ(server_.as(admin_, "GET", "/v1/audit?limit=0").error_code(), "INVALID_REQUEST");
  EXPECT_EQ(server_.as(admin_, "GET", "/v1/audit?from=yesterday").error_code(), "INVALID_REQUEST");
  auto window =
      server_.as(admin_, "GET", "/v1/audit?from=2000-01-01T00:00:00Z&to=2000-01-02T00:00:00Z");
  EXPECT_TRUE(window.json().at("items").as_array().empty());
  auto verified = server_.as(admin_, "GET", "/v1/audit/verify");
  EXPECT_TRUE(verified.json().at("ok").as_bool());
  EXPECT_GT(verified.json().at("entries").as_int64(), 5);
}

// The message is what a page shows a person; the field is for the developer, in `field`.
TEST_F(ApiTest, R_S5_ErrorMessagesDoNotEndInTheFieldName) {
  auto wrong_type =
      server_.as(clerk_, "POST", "/v1/persons",
                 R"({"name":7,"id_number":"x","region_code":"330200","photo_on_file":{}})");
  const auto error = wrong_type.json().at("error");
  EXPECT_EQ(error.at("field").as_string(), "name");
  EXPECT_EQ(std::string(error.at("message").as_string()).find("字段"), std::string::npos);
  EXPECT_EQ(std::string(error.at("message_en").as_string()).find("field:"), std::string::npos);
}

// The pages' tables come from the code that enforces them (R-W2, R-C1, R-C3, POLICY.md).
TEST_F(ApiTest, R_W2_R_C1_RulesAreServedFromThePlatformsOwnTables) {
  auto answer = server_.call("GET", "/v1/rules");
  ASSERT_EQ(answer.status, 200) << answer.body;
  const auto rules = answer.json();
  const auto& reasons = rules.at("password").at("reasons").as_array();
  ASSERT_EQ(reasons.size(), 5u);
  EXPECT_EQ(reasons.at(2).at("reason").as_string(), "birth_date");
  EXPECT_EQ(reasons.at(2).at("message").as_string(), "密码不能为出生日期");
  bool loss = false;
  for (const auto& t : rules.at("card").at("transitions").as_array()) {
    EXPECT_NE(t.at("from").as_string(), "cancelled") << "nothing leaves a terminal state";
    if (t.at("from") == "active" && t.at("action") == "report-loss") loss = t.at("to") == "lost";
  }
  EXPECT_TRUE(loss);
  const auto& roles = rules.at("operator_roles");
  EXPECT_EQ(roles.at("report-loss"), (boost::json::array{"admin", "hr_clerk"}));
  EXPECT_EQ(roles.at("reserved-phone"), (boost::json::array{"bank_teller"}));
  EXPECT_EQ(roles.at("read-audit"), (boost::json::array{"admin", "auditor"}));
  EXPECT_EQ(rules.at("bill").at("items_max").as_int64(), limits::kBillItemsMax);
  EXPECT_EQ(rules.at("bill").at("quantity_max").as_int64(), limits::kItemQuantityMax);
  EXPECT_EQ(rules.at("bill").at("total_fen_max").as_int64(), limits::kBillTotalFenMax);
}

}  // namespace
}  // namespace essc::testing
