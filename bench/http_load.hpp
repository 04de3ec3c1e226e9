// The load generator's engine: N keep-alive HTTP/1.1 connections on one thread, each
// running operations back to back (closed loop) or at their scheduled start times
// (open loop, `rate_per_second`), until the operation budget or the time budget is spent.
//
// An operation is one call or a short chain of calls (a QR code issued, then settled):
// `first` gives its first call, `follow` judges each reply and may ask for the next
// call. Latency is measured per operation, from its scheduled start in open loop (so a
// stalled server shows in the figures instead of slowing the generator down) or from
// its first byte sent in closed loop.
//
// Only http_load.cpp includes Boost.Beast and Asio. Everything here runs on the calling
// thread: `first` and `follow` need no locking.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace essc::bench {

struct HttpCall {
  std::string method;
  std::string target;  // path and query
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
};

struct HttpReply {
  unsigned status = 0;
  std::string body;
};

// What a reply means for its operation: failed, done, or go on with `next`.
struct Verdict {
  bool ok = true;
  std::optional<HttpCall> next;
};

struct LoadOptions {
  std::string host = "127.0.0.1";
  std::uint16_t port = 0;
  int connections = 1;
  std::int64_t operations_max = 1;
  double seconds_max = 10;
  double rate_per_second = 0;  // 0: closed loop, as fast as replies come
  // A call not answered within this fails and its connection is opened again.
  double call_timeout_seconds = 30;
};

struct LoadResult {
  std::int64_t completed = 0;  // operations that ended, well or not
  std::int64_t errors = 0;     // of which failed (a bad status or a broken connection)
  double seconds = 0;
  std::vector<double> latencies_ms;  // one per completed operation
  std::string first_error;           // what the first failure was, for the log
};

// first(i): operation i's first call, or nullopt when there is nothing more to do.
using FirstCall = std::function<std::optional<HttpCall>(std::int64_t index)>;
using FollowReply = std::function<Verdict(std::int64_t index, const HttpReply& reply)>;
// Called once a second with the result so far (the soak's per-interval figures).
using Tick = std::function<void(const LoadResult& so_far)>;

LoadResult run_load(const LoadOptions& options, const FirstCall& first, const FollowReply& follow,
                    const Tick& tick = {});

}  // namespace essc::bench
