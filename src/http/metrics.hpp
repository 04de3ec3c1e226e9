// Request counts and latency histograms by route and status, in the Prometheus text
// format (GET /metrics). Labels are route patterns, never concrete paths, so no
// personal data (an ID number in a path) reaches the metrics.
//
// Thread safety: record() and render() may be called from any thread.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <tuple>

namespace essc::http {

class Metrics {
 public:
  void record(const std::string& method, const std::string& route, int status, double seconds);
  std::string render() const;

 private:
  // Upper bounds in seconds, from a cached read (sub-millisecond) to an Argon2id hash
  // queued behind others (about a second).
  static constexpr std::array<double, 12> kBucketsSeconds{0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
                                                          0.05,   0.1,   0.25,   0.5,   1.0,  2.5};
  struct Series {
    std::uint64_t count = 0;
    double sum_seconds = 0;
    std::array<std::uint64_t, kBucketsSeconds.size()> buckets{};
  };
  mutable std::mutex mutex_;
  std::map<std::tuple<std::string, std::string, int>, Series> series_;
};

}  // namespace essc::http
