// A counting semaphore whose waiters wait as common/wait.hpp says: a handler's fiber
// waiting for a slot is suspended and its worker thread runs other requests; any other
// thread blocks. Slots are handed over in the order they were asked for.
//
// Thread safety: acquire() and release() may be called from any thread.
#pragma once

#include <cstddef>
#include <deque>
#include <mutex>

#include "common/wait.hpp"

namespace essc {

class WaitingSlots {
 public:
  explicit WaitingSlots(std::size_t slots) : free_(slots) {}
  WaitingSlots(const WaitingSlots&) = delete;
  WaitingSlots& operator=(const WaitingSlots&) = delete;

  // Returns holding a slot.
  void acquire();
  // Gives the slot to the longest waiter, or back to the pool.
  void release();

 private:
  std::mutex mutex_;
  std::size_t free_;
  std::deque<Resume> waiters_;
};

}  // namespace essc
