#include "bench/machine_cpu.hpp"

#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>

namespace essc::bench {
namespace {

constexpr int kIdleColumn = 4;  // user nice system idle iowait irq softirq steal …

}  // namespace

CpuTicks machine_cpu_ticks() {
  std::ifstream stat("/proc/stat");
  std::string line;
  if (!std::getline(stat, line) || line.rfind("cpu ", 0) != 0)
    throw std::runtime_error("no cpu line in /proc/stat");
  std::istringstream columns(line.substr(4));
  CpuTicks ticks;
  std::uint64_t value = 0;
  for (int column = 1; columns >> value; ++column) {
    ticks.total += value;
    if (column == kIdleColumn) ticks.idle = value;
  }
  return ticks;
}

double idle_percent(const CpuTicks& before, const CpuTicks& after) {
  const auto total = after.total - before.total;
  if (total == 0) return 0;
  return 100.0 * static_cast<double>(after.idle - before.idle) / static_cast<double>(total);
}

}  // namespace essc::bench
