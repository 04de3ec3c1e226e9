#include "bench/report.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <istream>
#include <map>
#include <ostream>
#include <sstream>
#include <vector>

namespace essc::bench {
namespace {

using Fields = std::map<std::string, double>;

double percentile(const std::vector<double>& sorted, double fraction) {
  if (sorted.empty()) return 0;
  const auto rank =
      static_cast<std::size_t>(std::ceil(fraction * static_cast<double>(sorted.size())));
  return sorted[std::clamp<std::size_t>(rank, 1, sorted.size()) - 1];
}

std::string number(double value) {
  char text[64];
  std::snprintf(text, sizeof text, "%.4g", value);
  return text;
}

struct Figures {
  std::map<std::string, Fields> by_name;
  std::vector<std::string> order;

  double get(const std::string& name, const std::string& field) const {
    const auto m = by_name.find(name);
    if (m == by_name.end()) return NAN;
    const auto f = m->second.find(field);
    return f == m->second.end() ? NAN : f->second;
  }
};

Figures parse(std::istream& lines) {
  Figures figures;
  for (std::string line; std::getline(lines, line);) {
    std::istringstream words(line);
    std::string word;
    if (!(words >> word) || word != "measure") continue;
    std::string name;
    Fields fields;
    while (words >> word) {
      const auto equals = word.find('=');
      if (equals == std::string::npos) continue;
      const auto key = word.substr(0, equals);
      const auto value = word.substr(equals + 1);
      if (key == "name") {
        name = value;
      } else {
        fields[key] = std::strtod(value.c_str(), nullptr);
      }
    }
    if (name.empty()) continue;
    if (!figures.by_name.contains(name)) figures.order.push_back(name);
    figures.by_name[name] = fields;
  }
  return figures;
}

// The larger of two figures, ignoring a missing one.
double worse(double a, double b) { return std::isnan(a) ? b : std::isnan(b) ? a : std::max(a, b); }

struct Line {
  const char* kind;
  const char* name;
  double value;
  const char* target;  // "<= n" or ">= n"
};

}  // namespace

Measurement summarize(std::string name, LoadResult& result) {
  auto& l = result.latencies_ms;
  std::sort(l.begin(), l.end());
  Measurement m;
  m.name = std::move(name);
  m.count = result.completed;
  m.errors = result.errors;
  m.seconds = result.seconds;
  m.rate = result.seconds > 0
               ? static_cast<double>(result.completed - result.errors) / result.seconds
               : 0;
  m.p50_ms = percentile(l, 0.50);
  m.p99_ms = percentile(l, 0.99);
  m.p999_ms = percentile(l, 0.999);
  return m;
}

std::string measure_line(const Measurement& m) {
  return "measure name=" + m.name + " rate=" + number(m.rate) +
         " count=" + std::to_string(m.count) + " errors=" + std::to_string(m.errors) +
         " seconds=" + number(m.seconds) + " p50_ms=" + number(m.p50_ms) +
         " p99_ms=" + number(m.p99_ms) + " p999_ms=" + number(m.p999_ms);
}

std::string value_line(const std::string& name, double value) {
  return "measure name=" + name + " value=" + number(value);
}

void print_report(std::istream& lines, std::ostream& out) {
  const auto f = parse(lines);
  char row[256];
  std::snprintf(row, sizeof row, "%-22s %12s %9s %9s %9s %8s %9s\n", "measurement", "per second",
                "p50 ms", "p99 ms", "p99.9 ms", "errors", "count");
  out << row;
  for (const auto& name : f.order) {
    const auto& fields = f.by_name.at(name);
    if (fields.contains("value")) {
      std::snprintf(row, sizeof row, "%-22s %12s\n", name.c_str(),
                    number(fields.at("value")).c_str());
    } else {
      std::snprintf(row, sizeof row, "%-22s %12.1f %9.3f %9.3f %9.3f %8.0f %9.0f\n", name.c_str(),
                    f.get(name, "rate"), f.get(name, "p50_ms"), f.get(name, "p99_ms"),
                    f.get(name, "p999_ms"), f.get(name, "errors"), f.get(name, "count"));
    }
    out << row;
  }
  const double nginx = f.get("nginx", "rate");
  const double settle_p99 = worse(f.get("settle_10k", "p99_ms"), f.get("settle_1m", "p99_ms"));
  const double idle_rss =
      worse(f.get("idle_rss_mb_10k", "value"), f.get("idle_rss_mb_1m", "value"));
  const double flood_rss =
      worse(f.get("flood_rss_mb_10k", "value"), f.get("flood_rss_mb_1m", "value"));
  const std::vector<Line> results{
      {"ratio", "status_read_vs_nginx", f.get("status_10k", "rate") / nginx, ">= 0.5"},
      {"ratio", "qr_issue_vs_nginx", f.get("qr_10k", "rate") / nginx, ">= 0.1"},
      // The token alone ("png": false): a session check and a signature, no write.
      {"ratio", "qr_token_vs_nginx", f.get("qr_token_10k", "rate") / nginx, ">= 0.35"},
      // The compact form with its image (a version-7 symbol instead of 14): the demo app's.
      {"ratio", "qr_compact_issue_vs_nginx", f.get("qr_compact_10k", "rate") / nginx, ">= 0.1"},
      {"ratio", "settle_vs_sqlite_commit",
       f.get("settle_10k", "rate") / f.get("sqlite_commit", "rate"), ">= 1"},
      {"ratio", "session_vs_argon2",
       f.get("session_10k", "rate") / (f.get("argon2_hash", "rate") * f.get("cores", "value")),
       ">= 0.9"},
      // R-K4: every bill's item capped, so each settlement reads its window too.
      {"ratio", "settle_with_risk_vs_without",
       f.get("settle_10k_risk", "rate") / f.get("settle_10k", "rate"), ">= 0.9"},
      {"ratio", "status_read_1m_vs_10k", f.get("status_1m", "rate") / f.get("status_10k", "rate"),
       ">= 0.8"},
      // The server's CPU per signed status read: half of nginx's rate needs about 30 µs.
      {"figure", "status_cpu_us", f.get("status_cpu_us_10k", "value"), "<= 30"},
      {"figure", "settle_p99_ms", settle_p99, "<= 15"},
      {"figure", "idle_rss_mb", idle_rss, "<= 30"},
      {"figure", "password_flood_rss_mb", flood_rss, "<= 128"},
      {"figure", "seed_1m_seconds", f.get("seed_1m", "value"), "<= 120"},
      // `essc import insurance-records` of 1.2 million rows on the 10k folder (R-R1).
      {"figure", "import_rows_per_s", f.get("import_insurance_10k", "rate"), ">= 50000"},
  };
  out << "\n";
  std::snprintf(row, sizeof row, "%-7s %-24s %10s %8s %s\n", "kind", "name", "value", "target",
                "met");
  out << row;
  for (const auto& line : results) {
    const double bound = std::strtod(line.target + 3, nullptr);
    const bool met = !std::isnan(line.value) &&
                     (line.target[0] == '>' ? line.value >= bound : line.value <= bound);
    std::snprintf(row, sizeof row, "%-7s %-24s %10s %8s %s\n", line.kind, line.name,
                  number(line.value).c_str(), line.target, met ? "yes" : "NO");
    out << row;
  }
  out << "\n";
  for (const auto& line : results)
    out << line.kind << " " << line.name << " " << number(line.value) << "\n";
}

}  // namespace essc::bench
