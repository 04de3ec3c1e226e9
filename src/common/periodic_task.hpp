// A thread that runs one task every period until stopped: the outbox worker's
// deliveries, the refusal log's minutes, the nonce journal's syncs. What the task
// throws is logged and the next period comes as usual, so a passing fault (a full
// disk, a busy database) does not end the thread.
//
// Thread safety: start() and stop() from the owner; the task runs on the thread only.
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

namespace essc {

class PeriodicTask {
 public:
  PeriodicTask() = default;
  ~PeriodicTask() { stop(); }
  PeriodicTask(const PeriodicTask&) = delete;
  PeriodicTask& operator=(const PeriodicTask&) = delete;

  // Runs `task` at once (with `first_at_once`) and then every `period`. `name` is the
  // log's event for an exception. Does nothing when already running.
  void start(std::string name, std::chrono::milliseconds period, bool first_at_once,
             std::function<void()> task);
  // Wakes the thread and joins it; a task running now finishes first. Idempotent.
  void stop();

 private:
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace essc
