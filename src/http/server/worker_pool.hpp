// The worker pool: the threads that run the handler calls the Placement sends off the
// I/O threads, each call on a fiber of its own (a stackful coroutine: Asio's spawn on
// Boost.Context). Code below a handler stays synchronous; where it waits for another
// thread's work (a write's group commit, common/wait.hpp) the fiber is suspended and its
// thread runs the next call, so a thousand settlements waiting for one fsync hold
// a thousand small stacks, not a thousand threads, and the pool stays free for the rest.
//
// Each worker is one thread running an io_context of its own, and a fiber never leaves
// the worker it began on: thread-local state (the store's shared read, OpenSSL's error
// queue, the C library's errno) stays the fiber's across a suspension, which it would not
// if a fiber could resume on another thread. A call goes to the worker with the fewest
// fibers begun and not ended. What still blocks a thread (Argon2id, an adapter's
// request, a PostgreSQL round trip) blocks the fibers queued behind it on that worker,
// as it blocked the thread before.
//
// Thread safety: run() is called from the I/O threads; stop_and_join() once, by the
// server, from a thread of neither kind.
#pragma once

#include <atomic>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <thread>
#include <vector>

#include "http/message.hpp"
#include "http/server/fiber_stacks.hpp"

namespace essc::http {

class WorkerPool {
 public:
  // `on_thread_start` runs first on each worker thread (the server marks its threads).
  WorkerPool(int threads, const std::function<void()>& on_thread_start);
  ~WorkerPool();
  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;

  // Runs body() on a fiber of the least busy worker; the awaiting coroutine resumes on
  // its own executor with body's result. body must not throw.
  boost::asio::awaitable<Response> run(std::function<Response()> body);

  // Lets every fiber begun finish, those waiting for a commit included (their jobs are
  // in the store's queue, which must not outlive them), then joins the threads.
  void stop_and_join();

 private:
  struct Worker {
    boost::asio::io_context context{1};
    std::optional<boost::asio::executor_work_guard<boost::asio::io_context::executor_type>> work{
        context.get_executor()};
    std::atomic<std::size_t> fibers{0};
    std::thread thread;
  };
  Worker& least_busy();

  FiberStacks stacks_;
  std::vector<std::unique_ptr<Worker>> workers_;
};

}  // namespace essc::http
