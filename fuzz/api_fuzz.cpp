// The router and every handler's request decoding (src/http/router.hpp, handlers/*):
// requests go through http::Api::handle on a real platform (SQLite in a temporary
// folder, sandbox adapters) and are authenticated as their route demands, so the
// fuzzer reaches the decoders behind authentication as well as the signature headers.
//
// Input: the first byte picks the caller (anonymous, admin, hr clerk, channel, hospital);
// then "METHOD TARGET\n", then "name: value\n" headers up to an empty line, then the body.
// Bad input must never be answered 500 (API.md "Errors").
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>

#include "common/log.hpp"
#include "crypto/request_signature.hpp"
#include "fuzz_check.hpp"
#include "http/api.hpp"
#include "support/test_platform.hpp"

namespace {

using namespace essc;

enum Caller : std::uint8_t { kAnonymous, kAdmin, kClerk, kChannel, kHospital, kCallers };

// Past the per-client rate window (R-S4) every 6000 calls, so the limit rarely hides a route.
constexpr std::int64_t kClockStepMs = 11;
// Operator sessions last 8 h of the manual clock: log in again well before.
constexpr std::uint64_t kLoginEveryRequests = 1'000'000;

class World {
 public:
  World() {
    configure_logging("error");
    channel_ = client({"channel", "政务APP", "gov", std::nullopt, "330200", std::nullopt});
    hospital_ = client({"institution", "第一医院", std::nullopt, "hospital", "330200", std::nullopt});
    platform_.make_operator("admin", store::OperatorRole::kAdmin);
    platform_.make_operator("clerk", store::OperatorRole::kHrClerk);
    log_in();
  }

  http::Response handle(Caller caller, http::Request& request) {
    platform_.clock().advance_ms(kClockStepMs);
    if (++requests_ % kLoginEveryRequests == 0) log_in();
    if (caller == kAdmin || caller == kClerk) {
      request.headers.emplace_back("authorization", "Bearer " + (caller == kAdmin ? admin_token_ : clerk_token_));
    } else if (caller == kChannel || caller == kHospital) {
      const auto& c = caller == kChannel ? channel_ : hospital_;
      const auto ts = std::to_string(platform_.clock().now_seconds());
      const auto nonce = "fuzz-nonce-" + std::to_string(requests_) + "-0000000";
      const auto canonical = crypto::canonical_request(request.method, request.target, ts, nonce, request.body);
      request.headers.emplace_back("x-essc-client", c.client_id);
      request.headers.emplace_back("x-essc-timestamp", ts);
      request.headers.emplace_back("x-essc-nonce", nonce);
      request.headers.emplace_back("x-essc-signature", crypto::sign_request(c.secret, canonical));
    }
    return api_.handle(request);
  }

 private:
  store::ClientRecord client(const services::NewClient& request) {
    auto made = platform_.platform().clients.add(services::Actor::command_line(), request);
    FUZZ_CHECK(made.ok());
    return *made;
  }

  std::string log_in_as(const std::string& username) {
    http::Request login{"POST", "/v1/operator/sessions", {{"content-type", "application/json"}},
                        R"({"username":")" + username + R"(","password":")" + testing::kOperatorPassword + R"("})",
                        "fuzz-login"};
    const auto answer = api_.handle(login);
    FUZZ_CHECK(answer.status == 200);
    const auto at = answer.body.find("\"token\":\"");
    FUZZ_CHECK(at != std::string::npos);
    const auto start = at + 9;
    return answer.body.substr(start, answer.body.find('"', start) - start);
  }

  void log_in() {
    admin_token_ = log_in_as("admin");
    clerk_token_ = log_in_as("clerk");
  }

  testing::TestPlatform platform_;
  http::Api api_{platform_.platform()};
  store::ClientRecord channel_, hospital_;
  std::string admin_token_, clerk_token_;
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
  request.target = std::string(request_line.substr(space + 1));
  request.request_id = "req-fuzz";
  for (auto line = next_line(rest); !line.empty(); line = next_line(rest)) {
    const auto colon = line.find(':');
    if (colon == std::string_view::npos) continue;
    std::string name(line.substr(0, colon));
    for (auto& ch : name) ch = static_cast<char>(ch >= 'A' && ch <= 'Z' ? ch - 'A' + 'a' : ch);
    const auto value = line.substr(colon + 1);
    request.headers.emplace_back(std::move(name), std::string(value.substr(std::min(value.size(), value.find_first_not_of(' ')))));
  }
  request.body = std::string(rest);
  const auto answer = world.handle(caller, request);
  if (answer.status >= 500 && answer.status != 503) {
    std::fprintf(stderr, "%s %s answered %d: %s\n", request.method.c_str(), request.target.c_str(), answer.status,
                 answer.body.c_str());
    FUZZ_CHECK(answer.status < 500);
  }
  return 0;
}
