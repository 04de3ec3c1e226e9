// Resident memory of another process (the server under load), from /proc/<pid>/status.
#pragma once

#include <atomic>
#include <thread>

namespace essc::bench {

// VmRSS in MiB; throws std::runtime_error when the process cannot be read.
double rss_mb(int pid);

// Samples a process's VmRSS every few milliseconds on a thread of its own while it
// lives, keeping the highest value seen.
class RssPeak {
 public:
  explicit RssPeak(int pid);
  ~RssPeak();
  RssPeak(const RssPeak&) = delete;
  RssPeak& operator=(const RssPeak&) = delete;
  // Stops sampling and returns the peak in MiB.
  double stop();

 private:
  int pid_;
  std::atomic<bool> stopping_{false};
  std::atomic<double> peak_mb_{0};
  std::thread sampler_;
};

}  // namespace essc::bench
