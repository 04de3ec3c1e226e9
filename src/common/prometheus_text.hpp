// The lines that introduce a metric in Prometheus's text exposition format (GET /metrics):
// one writer for every place that renders a family of series.
#pragma once

#include <string>
#include <string_view>

namespace essc {

// Appends "# HELP <name> <help>" and "# TYPE <name> <type>" (counter, gauge, histogram).
inline void append_metric_header(std::string& out, std::string_view name, std::string_view help,
                                 std::string_view type) {
  out.append("# HELP ").append(name).append(" ").append(help).append("\n");
  out.append("# TYPE ").append(name).append(" ").append(type).append("\n");
}

}  // namespace essc
