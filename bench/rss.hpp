// Resident memory and CPU time of another process (the server under load), from /proc.
#pragma once

#include <atomic>
#include <thread>

namespace essc::bench {

// VmRSS in MiB; throws std::runtime_error when the process cannot be read.
double rss_mb(int pid);

// CPU time the process has used so far, user and system, in seconds (/proc/<pid>/stat):
// divided by the calls served meanwhile, the server's CPU per call, which the machine's
// neighbours move far less than they move a rate. Throws like rss_mb.
double cpu_seconds(int pid);

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
