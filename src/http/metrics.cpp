#include "http/metrics.hpp"

#include <cstdio>

namespace essc::http {

void Metrics::record(const std::string& method, const std::string& route, int status,
                     double seconds) {
  std::lock_guard lock(mutex_);
  auto& s = series_[{method, route, status}];
  ++s.count;
  s.sum_seconds += seconds;
  for (std::size_t i = 0; i < kBucketsSeconds.size(); ++i) {
    if (seconds <= kBucketsSeconds[i]) ++s.buckets[i];
  }
}

std::string Metrics::render() const {
  std::string out;
  out += "# HELP essc_http_requests_total HTTP requests answered, by route and status.\n";
  out += "# TYPE essc_http_requests_total counter\n";
  std::lock_guard lock(mutex_);
  char number[64];
  for (const auto& [key, s] : series_) {
    const auto& [method, route, status] = key;
    out.append("essc_http_requests_total{method=\"").append(method).append("\",route=\"");
    out.append(route).append("\",status=\"").append(std::to_string(status)).append("\"} ");
    out.append(std::to_string(s.count)).append("\n");
  }
  out += "# HELP essc_http_request_duration_seconds Time from a complete request to its answer.\n";
  out += "# TYPE essc_http_request_duration_seconds histogram\n";
  for (const auto& [key, s] : series_) {
    const auto& [method, route, status] = key;
    std::string labels = "method=\"";
    labels.append(method).append("\",route=\"").append(route).append("\",status=\"");
    labels.append(std::to_string(status)).append("\"");
    for (std::size_t i = 0; i < kBucketsSeconds.size(); ++i) {
      std::snprintf(number, sizeof number, "%g", kBucketsSeconds[i]);
      out += "essc_http_request_duration_seconds_bucket{" + labels + ",le=\"" + number + "\"} " +
             std::to_string(s.buckets[i]) + "\n";
    }
    out += "essc_http_request_duration_seconds_bucket{" + labels + ",le=\"+Inf\"} " +
           std::to_string(s.count) + "\n";
    std::snprintf(number, sizeof number, "%.6f", s.sum_seconds);
    out += "essc_http_request_duration_seconds_sum{" + labels + "} " + number + "\n";
    out += "essc_http_request_duration_seconds_count{" + labels + "} " + std::to_string(s.count) +
           "\n";
  }
  return out;
}

}  // namespace essc::http
