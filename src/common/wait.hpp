// Waiting for work another thread completes (a write's group commit, a pooled
// connection) or for a moment, without holding a thread while it lasts, where the caller
// runs on a fiber that can be suspended: the HTTP server runs each handler call on one
// (docs/architecture.md "Threads: what runs where"), so code below the handlers stays
// plain synchronous C++ and a handler waiting gives its thread to the next request.
// Elsewhere (the command line, a test, a background task) the thread blocks as it would
// on a semaphore or in a sleep.
//
// Thread safety: the waits may be called from any thread; `resume` from any thread.
#pragma once

#include <chrono>
#include <functional>
#include <optional>

namespace essc {

// Completes a wait_for(): called once, from any thread, when the work is done. It must
// be the caller's last touch of anything the waiting code owns.
using Resume = std::function<void()>;
using WaitStart = std::function<void(Resume)>;
using Deadline = std::chrono::steady_clock::time_point;

// What suspends the calling fiber: installed by whoever runs it (http/server/).
class Suspender {
 public:
  virtual ~Suspender() = default;
  // Calls start(resume) and returns once resume() has been called, or at `deadline`
  // (if any) when it has not: the fiber suspended meanwhile. After a deadline, resume()
  // may still be called and does nothing. Returns on the thread it was called from.
  virtual void suspend(const WaitStart& start, std::optional<Deadline> deadline) = 0;
  // Returns once `fd` has something to read (or has failed): the fiber suspended
  // meanwhile, its worker watching the descriptor.
  virtual void suspend_until_readable(int fd) = 0;
};

// Calls start(resume) and returns once resume() has been called: on a fiber with a
// Suspender the fiber is suspended meanwhile; otherwise this thread blocks.
void wait_for(const WaitStart& start);
// As wait_for(), but returns at `deadline` if resume() has not come by then; a later
// resume() does nothing. The caller's own state says which came first.
void wait_until(const WaitStart& start, Deadline deadline);
void sleep_for(std::chrono::milliseconds duration);
// Returns once `fd` has something to read, or has failed (the reader finds out which).
// On a fiber with a Suspender the thread first blocks a moment
// (limits::kReadableBlockingWaitMs), which covers a store's usual answer at the cost of
// one poll(2); a slower one (a row lock, a commit waiting for its standby) suspends the
// fiber, so the fibers behind it on the same thread, the lock's holder among them, run
// meanwhile. Elsewhere this thread blocks.
void wait_readable(int fd);

// A thread_local that belongs to the code a fiber runs rather than to its thread (a
// store's open shared read): while the fiber waits, others run on the same thread and
// must not see it. Each wait takes each registered one away before it suspends and
// gives it back after. Registered once, from a namespace-scope initialiser.
struct FiberLocal {
  const void* (*take)();  // this thread's value, which it clears
  void (*give_back)(const void* value);
};
bool register_fiber_local(FiberLocal local);

// Makes `suspender` this thread's for the scope's lifetime: the fiber's body holds one.
class SuspenderScope {
 public:
  explicit SuspenderScope(Suspender& suspender);
  ~SuspenderScope();
  SuspenderScope(const SuspenderScope&) = delete;
  SuspenderScope& operator=(const SuspenderScope&) = delete;

 private:
  Suspender* previous_;
};

}  // namespace essc
