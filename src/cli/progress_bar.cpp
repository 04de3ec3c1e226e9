#include "cli/progress_bar.hpp"

#include <unistd.h>

#include <algorithm>
#include <cstdio>

namespace essc::cli {

ProgressBar::ProgressBar(std::string unit)
    : unit_(std::move(unit)),
      terminal_(isatty(STDERR_FILENO) == 1),
      started_(std::chrono::steady_clock::now()) {}

double ProgressBar::seconds() const {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - started_).count();
}

void ProgressBar::show(std::int64_t done, std::int64_t total) {
  constexpr int kBarWidth = 40;
  total = std::max<std::int64_t>(total, 1);
  const auto filled = static_cast<std::size_t>(done * kBarWidth / total);
  if (terminal_) {
    std::fprintf(stderr, "\r[%s%s] %3d%% %lld/%lld %s %.1f s", std::string(filled, '#').c_str(),
                 std::string(kBarWidth - filled, ' ').c_str(), static_cast<int>(done * 100 / total),
                 static_cast<long long>(done), static_cast<long long>(total), unit_.c_str(),
                 seconds());
    if (done == total) std::fputc('\n', stderr);
  } else if (done >= next_line_at_ || done == total) {
    std::fprintf(stderr, "%lld/%lld %s in %.1f s\n", static_cast<long long>(done),
                 static_cast<long long>(total), unit_.c_str(), seconds());
    next_line_at_ = done + std::max<std::int64_t>(total / 10, 1);
  }
}

}  // namespace essc::cli
