// Figures of one benchmark run: each measurement is printed as one line
//   measure name=<name> rate=<per second> count=… errors=… seconds=… p50_ms=… p99_ms=… p999_ms=…
// (or `measure name=<name> value=<v>` for a single number such as an RSS), so the
// driver can collect them from several processes into one file; `report` turns that
// file into the table and the `ratio …` / `figure …` lines of docs/performance.md.
#pragma once

#include <cstdint>
#include <iosfwd>
#include <string>

#include "bench/http_load.hpp"

namespace essc::bench {

struct Measurement {
  std::string name;
  double rate = 0;  // operations a second
  std::int64_t count = 0;
  std::int64_t errors = 0;
  double seconds = 0;
  double p50_ms = 0;
  double p99_ms = 0;
  double p999_ms = 0;
};

// Rate and latency percentiles (nearest rank) of a run. Sorts result.latencies_ms.
Measurement summarize(std::string name, LoadResult& result);
std::string measure_line(const Measurement& m);
std::string value_line(const std::string& name, double value);

// Reads `measure` lines (others are ignored) and prints the table, then one line per
// ratio and figure: `ratio <name> <value>` and `figure <name> <value>` ("nan" when an
// input is missing).
void print_report(std::istream& lines, std::ostream& out);

}  // namespace essc::bench
