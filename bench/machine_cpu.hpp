// The whole machine's CPU time by state, from /proc/stat: how much of a run the cores
// sat idle. A rate bounded by a lock or a wait leaves cores idle; one bounded by the
// hardware does not.
#pragma once

#include <cstdint>

namespace essc::bench {

struct CpuTicks {
  std::uint64_t idle = 0;   // the "idle" column only, as vmstat's "id": iowait is apart
  std::uint64_t total = 0;  // every column of the "cpu" line
};

// The "cpu" line of /proc/stat now; throws std::runtime_error when it cannot be read.
CpuTicks machine_cpu_ticks();

// The share of the ticks between two readings that were idle, in percent (0 when no
// tick passed).
double idle_percent(const CpuTicks& before, const CpuTicks& after);

}  // namespace essc::bench
