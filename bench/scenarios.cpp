#include "bench/scenarios.hpp"

#include <algorithm>
#include <cstdio>
#include <ostream>
#include <random>
#include <unordered_map>

#include "bench/rss.hpp"
#include "crypto/random.hpp"

namespace essc::bench {
namespace {

// Consecutive sessions go to persons this far apart, so they spread over the whole
// table (a prime: distinct persons until the table wraps, for any size it does not divide).
constexpr std::int64_t kPersonStride = 104'729;
// POLICY.md's default daily settlement limit per e-card: more payment codes per session
// would end in RISK_VELOCITY_LIMIT.
constexpr std::int64_t kSettlementsPerEcardPerDay = 20;
constexpr unsigned kCreated = 201;
constexpr unsigned kOk = 200;
constexpr unsigned kUnauthorized = 401;
constexpr char kBill[] =
    R"(,"visit":"pharmacy","items":[{"code":"XJ01CA04","name":"阿莫西林胶囊","category":"A","quantity":2,"unit_price_fen":600}]})";

// The value of a top-level string member of a JSON reply; our tokens need no escapes.
std::string string_member(const std::string& body, const std::string& key) {
  const auto marker = "\"" + key + "\":\"";
  const auto at = body.find(marker);
  if (at == std::string::npos) return {};
  const auto begin = at + marker.size();
  const auto end = body.find('"', begin);
  return end == std::string::npos ? std::string() : body.substr(begin, end - begin);
}

// The measurement, and on standard error what went wrong first, if anything did.
Measurement finish(std::string name, LoadResult& result) {
  if (!result.first_error.empty())
    std::fprintf(stderr, "%s: first error: %s\n", name.c_str(), result.first_error.c_str());
  return summarize(std::move(name), result);
}

}  // namespace

EsscLoad::EsscLoad(Target target, SeedCredentials credentials)
    : target_(std::move(target)),
      credentials_(std::move(credentials)),
      first_person_(static_cast<std::int64_t>(
          crypto::random_uniform(static_cast<std::uint32_t>(credentials_.persons)))),
      order_prefix_("ld-" + crypto::random_token(6) + "-") {}

LoadOptions EsscLoad::options(const Budget& budget) const {
  LoadOptions o;
  o.host = target_.host;
  o.port = target_.port;
  o.connections = budget.connections;
  o.operations_max = budget.operations_max;
  o.seconds_max = budget.seconds_max;
  o.call_timeout_seconds = budget.call_timeout_seconds;
  return o;
}

const ClientKeys& EsscLoad::institution(std::int64_t index) const {
  return credentials_.institutions[static_cast<std::size_t>(
      index % static_cast<std::int64_t>(credentials_.institutions.size()))];
}

HttpCall EsscLoad::session_call(std::int64_t person) {
  HttpCall call{"POST",
                "/v1/ecards/" + credentials_.binding_id(person) + "/sessions",
                R"({"password":")" + credentials_.password + "\"}",
                {}};
  signer_.sign(call, credentials_.channel_of(person));
  return call;
}

HttpCall EsscLoad::qr_call(const Session& session, const std::string& purpose, bool png,
                           bool compact) {
  HttpCall call{"POST",
                "/v1/ecards/" + credentials_.binding_id(session.person) + "/qrcodes",
                R"({"purpose":")" + purpose + "\"" + (png ? "" : R"(,"png":false)") +
                    (compact ? R"(,"format":"compact")" : "") + "}",
                {{"X-Essc-Session", session.token}}};
  signer_.sign(call, credentials_.channel_of(session.person));
  return call;
}

HttpCall EsscLoad::settle_call(const std::string& qr_token, std::int64_t index) {
  HttpCall call{"POST",
                "/v1/settlements",
                R"({"qr_token":")" + qr_token + R"(","order_id":")" + order_prefix_ +
                    std::to_string(index) + "\"" + kBill,
                {}};
  signer_.sign(call, institution(index));
  return call;
}

double EsscLoad::server_counter(const std::string& metric, std::uint16_t port) const {
  std::string body;
  auto once = options({1, 1, 10, 10});
  once.port = port;
  run_load(
      once,
      [](std::int64_t) {
        return std::optional<HttpCall>(HttpCall{"GET", "/metrics", {}, {}});
      },
      [&](std::int64_t, const HttpReply& reply) {
        body = reply.body;
        return Verdict{reply.status == kOk, std::nullopt};
      });
  const auto at = body.find("\n" + metric + " ");
  if (at == std::string::npos) return 0;
  return std::strtod(body.c_str() + at + metric.size() + 2, nullptr);
}

Measurement EsscLoad::status_reads(std::string name, const Budget& budget) {
  std::mt19937_64 random(std::random_device{}());
  std::uniform_int_distribution<std::int64_t> person(0, credentials_.persons - 1);
  auto result = run_load(
      options(budget),
      [&](std::int64_t) -> std::optional<HttpCall> {
        const auto p = person(random);
        HttpCall call{"GET", "/v1/ecards/" + credentials_.binding_id(p), {}, {}};
        signer_.sign(call, credentials_.channel_of(p));
        return call;
      },
      [](std::int64_t, const HttpReply& reply) {
        return Verdict{reply.status == kOk, std::nullopt};
      });
  return finish(std::move(name), result);
}

Measurement EsscLoad::open_sessions(std::string name, const Budget& budget) {
  const auto first = static_cast<std::int64_t>(sessions_.size());
  std::unordered_map<std::int64_t, std::int64_t> person_of;
  auto result = run_load(
      options(budget),
      [&](std::int64_t index) -> std::optional<HttpCall> {
        const auto person =
            (first_person_ + (first + index) * kPersonStride) % credentials_.persons;
        person_of[index] = person;
        return session_call(person);
      },
      [&](std::int64_t index, const HttpReply& reply) {
        const auto token = string_member(reply.body, "session_token");
        if (reply.status != kCreated || token.empty()) return Verdict{false, std::nullopt};
        sessions_.push_back({person_of[index], token});
        return Verdict{true, std::nullopt};
      });
  return finish(std::move(name), result);
}

Measurement EsscLoad::issue_qr(std::string name, const std::string& purpose, const Budget& budget,
                               bool png, bool compact) {
  if (sessions_.empty()) throw std::runtime_error("issue_qr: no session is open");
  auto& kept = purpose == "payment" ? payment_codes_ : identity_codes_;
  kept.clear();
  auto o = options(budget);
  if (purpose == "payment") {
    o.operations_max = std::min(
        o.operations_max, kSettlementsPerEcardPerDay * static_cast<std::int64_t>(sessions_.size()));
  }
  const auto session_of = [&](std::int64_t index) -> const Session& {
    return sessions_[static_cast<std::size_t>(index % static_cast<std::int64_t>(sessions_.size()))];
  };
  auto result = run_load(
      o,
      [&](std::int64_t index) -> std::optional<HttpCall> {
        return qr_call(session_of(index), purpose, png, compact);
      },
      [&](std::int64_t index, const HttpReply& reply) {
        auto token = string_member(reply.body, "token");
        if (reply.status != kCreated || token.empty()) return Verdict{false, std::nullopt};
        kept.push_back({session_of(index).person, std::move(token)});
        return Verdict{true, std::nullopt};
      });
  return finish(std::move(name), result);
}

Measurement EsscLoad::use_codes(std::string name, const Budget& budget, std::vector<Code>& codes,
                                const std::function<HttpCall(const Code&, std::int64_t)>& call_for,
                                unsigned expected) {
  auto o = options(budget);
  o.operations_max =
      std::min<std::int64_t>(o.operations_max, static_cast<std::int64_t>(codes.size()));
  auto result = run_load(
      o,
      [&](std::int64_t index) -> std::optional<HttpCall> {
        return call_for(codes[static_cast<std::size_t>(index)], index);
      },
      [&](std::int64_t, const HttpReply& reply) {
        return Verdict{reply.status == expected, std::nullopt};
      });
  codes.clear();
  return finish(std::move(name), result);
}

Measurement EsscLoad::verify_identity(std::string name, const Budget& budget) {
  const auto verify_call = [this](const Code& code, std::int64_t index) {
    HttpCall call{"POST", "/v1/identity/verify", R"({"qr_token":")" + code.token + "\"}", {}};
    signer_.sign(call, institution(index));
    return call;
  };
  return use_codes(std::move(name), budget, identity_codes_, verify_call, kOk);
}

Measurement EsscLoad::settle(std::string name, const Budget& budget) {
  const auto call = [this](const Code& code, std::int64_t index) {
    return settle_call(code.token, index);
  };
  return use_codes(std::move(name), budget, payment_codes_, call, kCreated);
}

Measurement EsscLoad::soak(std::string name, const Budget& budget, double rate_per_second,
                           int server_pid, double report_every_seconds, std::ostream& log) {
  if (sessions_.empty()) throw std::runtime_error("soak: no session is open");
  enum class Stage { kQr, kReopen, kSettle };
  std::unordered_map<std::int64_t, Stage> stage;
  auto o = options(budget);
  o.rate_per_second = rate_per_second;
  const auto session_of = [&](std::int64_t index) -> Session& {
    return sessions_[static_cast<std::size_t>(index % static_cast<std::int64_t>(sessions_.size()))];
  };
  std::size_t reported = 0;
  std::int64_t errors_reported = 0;
  double next_report = report_every_seconds;
  auto result = run_load(
      o,
      [&](std::int64_t index) -> std::optional<HttpCall> {
        stage[index] = Stage::kQr;
        return qr_call(session_of(index), "payment");
      },
      [&](std::int64_t index, const HttpReply& reply) -> Verdict {
        auto& session = session_of(index);
        const auto at = stage.find(index);
        const auto done = [&](bool ok) {
          stage.erase(at);
          return Verdict{ok, std::nullopt};
        };
        switch (at->second) {
          case Stage::kQr:
            if (reply.status == kUnauthorized &&
                reply.body.find("SESSION_INVALID") != std::string::npos) {
              at->second = Stage::kReopen;
              return {true, session_call(session.person)};
            }
            if (reply.status != kCreated) return done(false);
            at->second = Stage::kSettle;
            return {true, settle_call(string_member(reply.body, "token"), index)};
          case Stage::kReopen:
            if (reply.status != kCreated) return done(false);
            session.token = string_member(reply.body, "session_token");
            at->second = Stage::kQr;
            return {true, qr_call(session, "payment")};
          case Stage::kSettle:
            return done(reply.status == kCreated);
        }
        return done(false);
      },
      [&](const LoadResult& so_far) {
        if (so_far.seconds < next_report) return;
        next_report += report_every_seconds;
        std::vector<double> window(
            so_far.latencies_ms.begin() + static_cast<std::ptrdiff_t>(reported),
            so_far.latencies_ms.end());
        LoadResult interval;
        interval.completed = static_cast<std::int64_t>(window.size());
        interval.errors = so_far.errors - errors_reported;
        interval.seconds = report_every_seconds;
        interval.latencies_ms = std::move(window);
        reported = so_far.latencies_ms.size();
        errors_reported = so_far.errors;
        const auto m = summarize(name, interval);
        char line[256];
        std::snprintf(line, sizeof line,
                      "soak t=%.0f rate=%.1f errors=%lld p50_ms=%.3f p99_ms=%.3f rss_mb=%.1f\n",
                      so_far.seconds, m.rate, static_cast<long long>(m.errors), m.p50_ms, m.p99_ms,
                      rss_mb(server_pid));
        log << line << std::flush;
      });
  return finish(std::move(name), result);
}

}  // namespace essc::bench
