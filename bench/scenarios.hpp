// What the load generator does to `essc serve` on a seeded data folder, as the seeded
// channels and pharmacies would: each scenario is one kind of signed call, measured on
// its own. Scenarios feed each other: opened sessions issue the QR codes, identity
// codes are then verified and payment codes settled, all within the codes' 60 s life.
#pragma once

#include <cstdint>
#include <functional>
#include <iosfwd>
#include <string>
#include <vector>

#include "bench/credentials.hpp"
#include "bench/report.hpp"

namespace essc::bench {

struct Target {
  std::string host = "127.0.0.1";
  std::uint16_t port = 8080;
};

// How much one scenario may do: whichever ends first.
struct Budget {
  int connections = 64;
  std::int64_t operations_max = 100'000;
  double seconds_max = 10;
  double call_timeout_seconds = 30;
};

class EsscLoad {
 public:
  EsscLoad(Target target, SeedCredentials credentials);

  // GET /v1/ecards/{binding_id} of persons drawn at random.
  Measurement status_reads(std::string name, const Budget& budget);
  // POST /v1/ecards/{binding_id}/sessions with the password, each for another person;
  // the sessions are kept for the scenarios below.
  Measurement open_sessions(std::string name, const Budget& budget);
  // POST …/qrcodes under the kept sessions in turn; the codes are kept by purpose.
  // png = false asks for the token alone, as an app that draws the code itself does;
  // compact asks for the compact form (docs/qr-token.md), as the demo app does.
  Measurement issue_qr(std::string name, const std::string& purpose, const Budget& budget,
                       bool png = true, bool compact = false);
  // POST /v1/identity/verify, each kept identity code once.
  Measurement verify_identity(std::string name, const Budget& budget);
  // POST /v1/settlements, each kept payment code once, with a fresh order id.
  Measurement settle(std::string name, const Budget& budget);
  // Open loop at `rate_per_second`: each operation issues a payment code and settles it
  // (re-opening a session that has expired). Prints a line every `report_every_seconds`
  // with the interval's rate, errors, p99 and the server's RSS.
  Measurement soak(std::string name, const Budget& budget, double rate_per_second, int server_pid,
                   double report_every_seconds, std::ostream& log);

  std::size_t sessions_open() const { return sessions_.size(); }
  // A counter without labels of GET /metrics on `port` of the target's host, or 0 when
  // it has none.
  double server_counter(const std::string& metric, std::uint16_t port) const;

 private:
  struct Session {
    std::int64_t person = 0;
    std::string token;
  };
  struct Code {
    std::int64_t person = 0;
    std::string token;
  };
  LoadOptions options(const Budget& budget) const;
  // Each kept code once, then forgets them: a call per code, `expected` the good status.
  Measurement use_codes(std::string name, const Budget& budget, std::vector<Code>& codes,
                        const std::function<HttpCall(const Code&, std::int64_t)>& call_for,
                        unsigned expected);
  HttpCall session_call(std::int64_t person);
  HttpCall qr_call(const Session& session, const std::string& purpose, bool png = true,
                   bool compact = false);
  HttpCall settle_call(const std::string& qr_token, std::int64_t index);
  const ClientKeys& institution(std::int64_t index) const;

  Target target_;
  SeedCredentials credentials_;
  Signer signer_;
  std::int64_t first_person_;
  std::string order_prefix_;
  std::vector<Session> sessions_;
  std::vector<Code> identity_codes_;
  std::vector<Code> payment_codes_;
};

}  // namespace essc::bench
