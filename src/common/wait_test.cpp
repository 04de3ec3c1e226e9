// The waits of a thread that runs no fiber (the command line, a background task): it
// blocks, and comes back when resumed or at its deadline.
#include "common/wait.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <thread>

namespace essc {
namespace {

using std::chrono::milliseconds;
using SteadyClock = std::chrono::steady_clock;

TEST(Wait, UntilADeadlineReturnsWhenResumedBeforeIt) {
  const auto started = SteadyClock::now();
  std::thread resumer;
  wait_until(
      [&](Resume resume) {
        resumer = std::thread([resume = std::move(resume)] {
          std::this_thread::sleep_for(milliseconds(20));
          resume();
        });
      },
      started + std::chrono::minutes(10));
  resumer.join();
  EXPECT_LT(SteadyClock::now() - started, std::chrono::minutes(10));
}

TEST(Wait, UntilADeadlineReturnsThereAndALateResumeDoesNothing) {
  Resume kept;
  const auto deadline = SteadyClock::now() + milliseconds(30);
  wait_until([&](Resume resume) { kept = std::move(resume); }, deadline);
  EXPECT_GE(SteadyClock::now(), deadline);
  kept();  // after the waiter went: must touch nothing of it
}

}  // namespace
}  // namespace essc
