#include "common/periodic_task.hpp"

#include "common/log.hpp"

namespace essc {

void PeriodicTask::start(std::string name, std::chrono::milliseconds period, bool first_at_once,
                         std::function<void()> task) {
  std::lock_guard lock(mutex_);
  if (thread_.joinable()) return;
  stopping_ = false;
  thread_ = std::thread([this, name = std::move(name), period, first_at_once,
                         task = std::move(task)] {
    std::unique_lock wait_lock(mutex_);
    bool wait_first = !first_at_once;
    while (!stopping_) {
      if (wait_first && wake_.wait_for(wait_lock, period, [this] { return stopping_; })) break;
      wait_first = true;
      wait_lock.unlock();
      try {
        task();
      } catch (const std::exception& e) {
        log_event(spdlog::level::err, {{"event", name}, {"detail", std::string_view(e.what())}});
      }
      wait_lock.lock();
    }
  });
}

void PeriodicTask::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

}  // namespace essc
