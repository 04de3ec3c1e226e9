#include "http/server/worker_pool.hpp"

#include <boost/asio/async_result.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/spawn.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <optional>

#include "common/limits.hpp"
#include "common/wait.hpp"

namespace essc::http {
namespace {

namespace asio = boost::asio;

// Suspends the fiber whose yield context it holds until the waited-for work resumes it,
// on the fiber's own worker.
class FiberSuspender final : public Suspender {
 public:
  explicit FiberSuspender(const asio::yield_context& yield) : yield_(yield) {}

  void suspend(const WaitStart& start, std::optional<Deadline> deadline) override {
    asio::async_initiate<const asio::yield_context&, void()>(
        [&start, &deadline](auto handler) {
          auto pending = std::make_shared<Pending<decltype(handler)>>(std::move(handler));
          // The tracked executor keeps the worker's run() going until resume() comes.
          auto work = asio::prefer(pending->executor(), asio::execution::outstanding_work.tracked);
          if (deadline) {
            pending->timer.emplace(pending->executor(), *deadline);
            pending->timer->async_wait(
                [pending](const boost::system::error_code&) { pending->complete(); });
          }
          start([pending, work] { asio::post(work, [pending] { pending->complete(); }); });
        },
        yield_);
  }

  void suspend_until_readable(int fd) override {
    // Watched by the worker's reactor for this wait only: the descriptor stays its owner's,
    // released however the wait ends (a fiber unwound at shutdown included), never closed.
    asio::posix::stream_descriptor watched(yield_.get_executor(), fd);
    const struct Released {
      asio::posix::stream_descriptor& watched;
      ~Released() { watched.release(); }
    } released{watched};
    boost::system::error_code failed;  // a failed descriptor is readable: its reader says so
    watched.async_wait(asio::posix::stream_descriptor::wait_read, yield_[failed]);
  }

 private:
  // A suspended fiber's completion, which resume() and the deadline's timer race for:
  // both run on the fiber's worker, and the first resumes it. Shared, because resume()
  // may be called after the deadline.
  template <typename Handler>
  struct Pending {
    explicit Pending(Handler h) : handler(std::move(h)) {}
    auto executor() const { return asio::get_associated_executor(*handler); }
    void complete() {
      if (!handler) return;
      auto resume_fiber = std::move(*handler);
      handler.reset();
      timer.reset();  // cancelled, and gone on the worker, whichever thread drops the last ref
      std::move(resume_fiber)();
    }
    std::optional<Handler> handler;
    std::optional<asio::steady_timer> timer;
  };

  const asio::yield_context& yield_;
};

}  // namespace

WorkerPool::WorkerPool(int threads, const std::function<void()>& on_thread_start)
    : stacks_(limits::kFiberStackBytes, limits::kFiberStacksIdleMax) {
  workers_.reserve(static_cast<std::size_t>(threads));
  for (int i = 0; i < threads; ++i) {
    auto& worker = *workers_.emplace_back(std::make_unique<Worker>());
    worker.thread = std::thread([&worker, on_thread_start] {
      on_thread_start();
      worker.context.run();
    });
  }
}

WorkerPool::~WorkerPool() { stop_and_join(); }

WorkerPool::Worker& WorkerPool::least_busy() {
  Worker* best = workers_.front().get();
  for (const auto& worker : workers_) {
    if (worker->fibers.load(std::memory_order_relaxed) <
        best->fibers.load(std::memory_order_relaxed))
      best = worker.get();
  }
  return *best;
}

asio::awaitable<Response> WorkerPool::run(std::function<Response()> body) {
  Worker& worker = least_busy();
  worker.fibers.fetch_add(1, std::memory_order_relaxed);
  struct Ended {
    Worker& worker;
    ~Ended() { worker.fibers.fetch_sub(1, std::memory_order_relaxed); }
  } ended{worker};
  co_return co_await asio::spawn(
      worker.context.get_executor(), std::allocator_arg, stacks_.allocator(),
      [&body](const asio::yield_context& yield) {
        FiberSuspender suspender(yield);
        const SuspenderScope scope(suspender);
        return body();
      },
      asio::use_awaitable);
}

void WorkerPool::stop_and_join() {
  for (auto& worker : workers_) worker->work.reset();
  for (auto& worker : workers_) {
    if (worker->thread.joinable()) worker->thread.join();
  }
}

}  // namespace essc::http
