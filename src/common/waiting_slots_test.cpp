#include "common/waiting_slots.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <thread>
#include <vector>

namespace essc {
namespace {

// R-W5's cap on Argon2id at once rests on this: never more holders than slots, and every
// waiter served.
TEST(WaitingSlots, NeverMoreHoldersThanSlotsAndEveryWaiterServed) {
  WaitingSlots slots(2);
  std::atomic<int> holding{0};
  std::atomic<int> peak{0};
  std::atomic<int> served{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 8; ++i) {
    threads.emplace_back([&] {
      for (int round = 0; round < 50; ++round) {
        slots.acquire();
        const int now = ++holding;
        int seen = peak.load();
        while (now > seen && !peak.compare_exchange_weak(seen, now)) {
        }
        std::this_thread::sleep_for(std::chrono::microseconds(50));
        --holding;
        ++served;
        slots.release();
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(served.load(), 8 * 50);
  EXPECT_EQ(peak.load(), 2);
}

TEST(WaitingSlots, AReleasedSlotPassesToTheWaiter) {
  WaitingSlots slots(1);
  slots.acquire();
  std::atomic<bool> got{false};
  std::thread waiter([&] {
    slots.acquire();
    got = true;
    slots.release();
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  EXPECT_FALSE(got.load());
  slots.release();
  waiter.join();
  EXPECT_TRUE(got.load());
  slots.acquire();  // the waiter's release freed it again
  slots.release();
}

}  // namespace
}  // namespace essc
