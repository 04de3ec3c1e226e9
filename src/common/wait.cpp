#include "common/wait.hpp"

#include <poll.h>

#include <array>
#include <cerrno>
#include <condition_variable>
#include <cstddef>
#include <memory>
#include <mutex>
#include <optional>

#include "common/assert.hpp"
#include "common/limits.hpp"

namespace essc {
namespace {

// The fiber running on this thread, if it may be suspended. Fibers never move between
// threads (http/server/worker_pool.hpp), so it is set again after each suspension
// because other fibers ran on this thread in between.
thread_local Suspender* tls_suspender = nullptr;

constexpr std::size_t kFiberLocalsMax = 4;
constinit std::array<FiberLocal, kFiberLocalsMax> fiber_locals{};
constinit std::size_t fiber_local_count = 0;

// A blocked thread's side of a wait: shared, as resume() may come after a deadline.
struct Signal {
  std::mutex mutex;
  std::condition_variable done;
  bool resumed = false;
};

// Runs suspend(), which suspends the calling fiber, with the fiber-locals set aside.
template <typename Suspend>
void suspended(Suspender& suspender, const Suspend& suspend) {
  std::array<const void*, kFiberLocalsMax> kept{};
  for (std::size_t i = 0; i < fiber_local_count; ++i) kept[i] = fiber_locals[i].take();
  suspend();
  tls_suspender = &suspender;
  for (std::size_t i = 0; i < fiber_local_count; ++i) fiber_locals[i].give_back(kept[i]);
}

// Both waits: on a fiber, suspended; elsewhere, blocked.
void wait(const WaitStart& start, std::optional<Deadline> deadline) {
  if (Suspender* suspender = tls_suspender) {
    suspended(*suspender, [&] { suspender->suspend(start, deadline); });
    return;
  }
  auto signal = std::make_shared<Signal>();
  start([signal] {
    std::lock_guard lock(signal->mutex);
    signal->resumed = true;
    signal->done.notify_one();
  });
  std::unique_lock lock(signal->mutex);
  const auto resumed = [&] { return signal->resumed; };
  if (deadline) {
    signal->done.wait_until(lock, *deadline, resumed);
  } else {
    signal->done.wait(lock, resumed);
  }
}

}  // namespace

bool register_fiber_local(FiberLocal local) {
  ESSC_INVARIANT(fiber_local_count < kFiberLocalsMax);
  fiber_locals[fiber_local_count++] = local;
  return true;
}

void wait_for(const WaitStart& start) { wait(start, std::nullopt); }

void wait_until(const WaitStart& start, Deadline deadline) { wait(start, deadline); }

void sleep_for(std::chrono::milliseconds duration) {
  wait_until([](const Resume&) {}, std::chrono::steady_clock::now() + duration);
}

void wait_readable(int fd) {
  Suspender* suspender = tls_suspender;
  // A failed descriptor counts as readable: the reader is told what went wrong.
  const auto readable_within = [fd](int timeout_ms) {
    pollfd watched{fd, POLLIN, 0};
    int ready = 0;
    do {
      ready = ::poll(&watched, 1, timeout_ms);
    } while (ready < 0 && errno == EINTR);
    return ready != 0;
  };
  if (suspender == nullptr) {
    readable_within(-1);
    return;
  }
  if (readable_within(limits::kReadableBlockingWaitMs)) return;
  suspended(*suspender, [&] { suspender->suspend_until_readable(fd); });
}

SuspenderScope::SuspenderScope(Suspender& suspender) : previous_(tls_suspender) {
  tls_suspender = &suspender;
}

SuspenderScope::~SuspenderScope() { tls_suspender = previous_; }

}  // namespace essc
