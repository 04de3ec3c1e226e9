// A progress bar on standard error for long command-line verbs (`essc seed`, `essc store
// copy`): redrawn in place on a terminal, a line each tenth of the way otherwise (logs).
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

namespace essc::cli {

class ProgressBar {
 public:
  explicit ProgressBar(std::string unit);
  void show(std::int64_t done, std::int64_t total);
  double seconds() const;

 private:
  std::string unit_;
  bool terminal_;
  std::chrono::steady_clock::time_point started_;
  std::int64_t next_line_at_ = 0;
};

}  // namespace essc::cli
