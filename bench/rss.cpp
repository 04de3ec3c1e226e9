#include "bench/rss.hpp"

#include <unistd.h>

#include <chrono>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>

namespace essc::bench {
namespace {

constexpr auto kSampleEvery = std::chrono::milliseconds(10);
constexpr double kKibPerMib = 1024.0;

}  // namespace

double rss_mb(int pid) {
  std::ifstream status("/proc/" + std::to_string(pid) + "/status");
  for (std::string line; std::getline(status, line);) {
    if (line.rfind("VmRSS:", 0) == 0) return std::stod(line.substr(6)) / kKibPerMib;
  }
  throw std::runtime_error("no VmRSS for process " + std::to_string(pid));
}

double cpu_seconds(int pid) {
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  std::string text;
  std::getline(stat, text);
  // The command name (field 2) may hold spaces: count fields after its closing ')'.
  const auto after_name = text.rfind(')');
  if (after_name == std::string::npos)
    throw std::runtime_error("no stat for process " + std::to_string(pid));
  std::istringstream fields(text.substr(after_name + 2));
  std::string field;
  double ticks = 0;
  for (int i = 3; i <= 15 && fields >> field; ++i) {
    if (i == 14 || i == 15) ticks += std::stod(field);  // utime, stime
  }
  return ticks / static_cast<double>(::sysconf(_SC_CLK_TCK));
}

RssPeak::RssPeak(int pid) : pid_(pid), peak_mb_(rss_mb(pid)) {
  sampler_ = std::thread([this] {
    while (!stopping_) {
      try {
        const double now = rss_mb(pid_);
        if (now > peak_mb_) peak_mb_ = now;
      } catch (const std::exception&) {
        return;  // the process ended; the peak so far stands
      }
      std::this_thread::sleep_for(kSampleEvery);
    }
  });
}

RssPeak::~RssPeak() { stop(); }

double RssPeak::stop() {
  stopping_ = true;
  if (sampler_.joinable()) sampler_.join();
  return peak_mb_;
}

}  // namespace essc::bench
