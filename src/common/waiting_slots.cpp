#include "common/waiting_slots.hpp"

namespace essc {

void WaitingSlots::acquire() {
  {
    std::lock_guard lock(mutex_);
    if (free_ > 0) {
      --free_;
      return;
    }
  }
  // The slot freed between the check and the wait is handed to this waiter by
  // release(), which sees it queued: both run under the mutex.
  wait_for([this](Resume resume) {
    std::unique_lock lock(mutex_);
    if (free_ > 0) {
      --free_;
      lock.unlock();
      resume();
      return;
    }
    waiters_.push_back(std::move(resume));
  });
}

void WaitingSlots::release() {
  Resume next;
  {
    std::lock_guard lock(mutex_);
    if (waiters_.empty()) {
      ++free_;
      return;
    }
    next = std::move(waiters_.front());
    waiters_.pop_front();
  }
  next();  // the slot passes to the waiter without becoming free
}

}  // namespace essc
