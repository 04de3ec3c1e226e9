// The router and every handler's request decoding (src/http/router.hpp, handlers/*):
// requests go through http::Api::handle on a real platform (SQLite in a temporary
// folder, sandbox adapters) and are authenticated as their route demands, so the
// fuzzer reaches the decoders behind authentication as well as the signature headers.
//
// Input: the first byte picks the caller (anonymous, admin, hr clerk, channel, hospital);
// then "METHOD TARGET\n", then "name: value\n" headers up to an empty line, then the body.
// In the target, header values and body, {id_number}, {card_no}, {binding_id} and
// {session} stand for a cardholder made at start-up with an e-card in the channel, and
// {qr} for a fresh payment QR code of that e-card, so the fuzzer gets past the lookups.
// Bad input must never be answered 500 (API.md "Errors").
#include <algorithm>
#include <boost/json/parse.hpp>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/log.hpp"
#include "crypto/request_signature.hpp"
#include "domain/client.hpp"
#include "domain/operator.hpp"
#include "fuzz_check.hpp"
#include "http/api.hpp"
#include "support/test_platform.hpp"

namespace {

using namespace essc;

enum Caller : std::uint8_t { kAnonymous, kAdmin, kClerk, kChannel, kHospital, kCallers };

// Past the per-client rate window (R-S4) every 6000 calls, so the limit rarely hides a route.
constexpr std::int64_t kClockStepMs = 11;
// Operator sessions last 8 h and e-card sessions 10 min of the manual clock: renew both
// well before.
constexpr std::uint64_t kRenewEveryRequests = 20'000;
constexpr char kEcardPassword[] = "258147";

class World {
 public:
  World() {
    configure_logging("error");
    channel_ = client({"channel", "政务APP", "gov", std::nullopt, "330200", std::nullopt});
    hospital_ =
        client({"institution", "第一医院", std::nullopt, "hospital", "330200", std::nullopt});
    platform_.make_operator("admin", domain::OperatorRole::kAdmin);
    platform_.make_operator("clerk", domain::OperatorRole::kHrClerk);
    admin_token_ = log_in_as("admin");
    clerk_token_ = log_in_as("clerk");
    make_cardholder();
  }

  http::Response handle(Caller caller, http::Request& request) {
    platform_.clock().advance_ms(kClockStepMs);
    if (++requests_ % kRenewEveryRequests == 0) renew_sessions();
    if (caller == kAdmin || caller == kClerk) {
      request.headers.emplace_back("authorization",
                                   "Bearer " + (caller == kAdmin ? admin_token_ : clerk_token_));
    } else if (caller == kChannel || caller == kHospital) {
      const auto& c = caller == kChannel ? channel_ : hospital_;
      const auto ts = std::to_string(platform_.clock().now_seconds());
      const auto nonce = "fuzz-nonce-" + std::to_string(requests_) + "-0000000";
      const auto canonical =
          crypto::canonical_request(request.method, request.target, ts, nonce, request.body);
      request.headers.emplace_back("x-essc-client", c.client_id);
      request.headers.emplace_back("x-essc-timestamp", ts);
      request.headers.emplace_back("x-essc-nonce", nonce);
      request.headers.emplace_back("x-essc-signature", crypto::sign_request(c.secret, canonical));
    }
    return api_.handle(request);
  }

  // The placeholders of the input replaced by the cardholder's values.
  std::string substitute(std::string text) {
    const std::pair<const char*, const std::string*> values[] = {{"{id_number}", &id_number_},
                                                                 {"{card_no}", &card_no_},
                                                                 {"{binding_id}", &binding_id_},
                                                                 {"{session}", &session_}};
    for (const auto& [name, value] : values) replace_all(text, name, *value);
    if (text.find("{qr}") != std::string::npos) replace_all(text, "{qr}", payment_qr());
    return text;
  }

 private:
  static void replace_all(std::string& text, std::string_view name, const std::string& value) {
    for (auto at = text.find(name); at != std::string::npos;
         at = text.find(name, at + value.size())) {
      text.replace(at, name.size(), value);
    }
  }

  domain::Client client(const services::NewClient& request) {
    auto made = platform_.platform().clients.add(services::Actor::command_line(), request);
    FUZZ_CHECK(made.ok());
    return *made;
  }

  // A set-up call that must succeed; the named field of its answer ("" for none).
  std::string must(Caller caller, const std::string& method, const std::string& target,
                   const std::string& body, std::string_view field = {},
                   std::vector<std::pair<std::string, std::string>> headers = {}) {
    http::Request request{method, target, std::move(headers), body, "fuzz-setup", "127.0.0.1"};
    const auto answer = handle(caller, request);
    if (answer.status >= 300)
      std::fprintf(stderr, "set-up %s %s: %s\n", method.c_str(), target.c_str(),
                   answer.body.c_str());
    FUZZ_CHECK(answer.status < 300);
    if (field.empty()) return {};
    return std::string(boost::json::parse(answer.body).as_object().at(field).as_string());
  }

  std::string log_in_as(const std::string& username) {
    return must(
        kAnonymous, "POST", "/v1/operator/sessions",
        R"({"username":")" + username + R"(","password":")" + testing::kOperatorPassword + R"("})",
        "token");
  }

  void make_cardholder() {
    id_number_ = testing::make_id_number("33020319900307001");
    must(kClerk, "POST", "/v1/persons",
         R"({"name":"张三","id_number":")" + id_number_ +
             R"(","region_code":"330200","photo_on_file":{"police":true,"cardholder":true}})");
    card_no_ = must(kClerk, "POST", "/v1/cards",
                    R"({"id_number":")" + id_number_ + R"(","bank_code":"NBCB"})", "card_no");
    must(kClerk, "POST", "/v1/cards/" + card_no_ + "/collect", "");
    must(kClerk, "POST", "/v1/cards/" + card_no_ + "/activate", R"({"hr_pin":"975310"})");
    must(kClerk, "POST", "/v1/accounts/medical/credits",
         R"({"id_number":")" + id_number_ + R"(","amount_fen":100000000,"memo":"个人账户划入"})");
    const auto verification =
        must(kChannel, "POST", "/v1/verifications",
             R"({"purpose":"issue","name":"张三","id_number":")" + id_number_ + R"("})",
             "verification_id");
    must(kChannel, "POST", "/v1/verifications/" + verification + "/face",
         R"({"image_base64":"ZmFjZQ=="})");
    binding_id_ = must(
        kChannel, "POST", "/v1/ecards",
        R"({"verification_id":")" + verification + R"(","password":")" + kEcardPassword + R"("})",
        "binding_id");
    session_ = open_session();
  }

  std::string open_session() {
    return must(kChannel, "POST", "/v1/ecards/" + binding_id_ + "/sessions",
                R"({"password":")" + std::string(kEcardPassword) + R"("})", "session_token");
  }

  // The fuzzer may lock, lose or cancel the card; then there is no session and no code.
  void renew_sessions() {
    admin_token_ = log_in_as("admin");
    clerk_token_ = log_in_as("clerk");
    http::Request request{"POST",       "/v1/ecards/" + binding_id_ + "/sessions",
                          {},           R"({"password":")" + std::string(kEcardPassword) + R"("})",
                          "fuzz-setup", "127.0.0.1"};
    const auto answer = handle(kChannel, request);
    if (answer.status == 201) {
      session_ =
          std::string(boost::json::parse(answer.body).as_object().at("session_token").as_string());
    }
  }

  std::string payment_qr() {
    http::Request request{"POST",
                          "/v1/ecards/" + binding_id_ + "/qrcodes",
                          {{"x-essc-session", session_}},
                          R"({"purpose":"payment"})",
                          "fuzz-qr",
                          "127.0.0.1"};
    const auto answer = handle(kChannel, request);
    if (answer.status != 201) return "ESSC1.none.none";
    return std::string(boost::json::parse(answer.body).as_object().at("token").as_string());
  }

  testing::TestPlatform platform_;
  http::Api api_{platform_.platform()};
  domain::Client channel_, hospital_;
  std::string admin_token_, clerk_token_;
  std::string id_number_, card_no_, binding_id_, session_;
  std::uint64_t requests_ = 0;
};

// The next line of `rest` (without its '\n'), consuming it.
std::string_view next_line(std::string_view& rest) {
  const auto end = rest.find('\n');
  const auto line = rest.substr(0, end);
  rest = end == std::string_view::npos ? std::string_view{} : rest.substr(end + 1);
  return line;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static World world;
  if (size == 0) return 0;
  const auto caller = static_cast<Caller>(data[0] % kCallers);
  std::string_view rest(reinterpret_cast<const char*>(data) + 1, size - 1);
  const auto request_line = next_line(rest);
  const auto space = request_line.find(' ');
  if (space == std::string_view::npos) return 0;
  http::Request request;
  request.method = std::string(request_line.substr(0, space));
  request.target = world.substitute(std::string(request_line.substr(space + 1)));
  request.request_id = "req-fuzz";
  for (auto line = next_line(rest); !line.empty(); line = next_line(rest)) {
    const auto colon = line.find(':');
    if (colon == std::string_view::npos) continue;
    std::string name(line.substr(0, colon));
    for (auto& ch : name) ch = static_cast<char>(ch >= 'A' && ch <= 'Z' ? ch - 'A' + 'a' : ch);
    const auto value = line.substr(colon + 1);
    request.headers.emplace_back(
        std::move(name), world.substitute(std::string(
                             value.substr(std::min(value.size(), value.find_first_not_of(' '))))));
  }
  request.body = world.substitute(std::string(rest));
  const auto answer = world.handle(caller, request);
  if (answer.status >= 500 && answer.status != 503) {
    std::fprintf(stderr, "%s %s answered %d: %s\n", request.method.c_str(), request.target.c_str(),
                 answer.status, answer.body.c_str());
    FUZZ_CHECK(answer.status < 500);
  }
  return 0;
}
