// The server's lifecycle: the threads it runs and the order of a stop. The listener,
// the sessions and the connection registry are in server/ (server.hpp says why).
#include "http/server.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <condition_variable>
#include <csignal>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <thread>
#include <vector>

#include "common/limits.hpp"
#include "common/log.hpp"
#include "http/server/connection_registry.hpp"
#include "http/server/listener.hpp"
#include "http/server/session.hpp"
#include "http/server/worker_pool.hpp"

namespace essc::http {
namespace {

namespace asio = wire::asio;
using wire::Milliseconds;

// After a forced cut at the end of the grace period, how long a stop lets the cut
// connections' coroutines unwind before stopping the I/O threads outright.
constexpr Milliseconds kForcedCloseWait{200};

int io_thread_count(const ServerOptions& options) {
  const int cores = std::max(1, static_cast<int>(std::thread::hardware_concurrency()));
  return options.io_threads > 0 ? options.io_threads : cores;
}

int worker_thread_count(const ServerOptions& options) {
  const int cores = std::max(1, static_cast<int>(std::thread::hardware_concurrency()));
  return options.worker_threads > 0 ? options.worker_threads : std::max(4, 4 * cores);
}

}  // namespace

struct Server::Impl {
  Impl(const ServerOptions& options, Handler handler, Placement placement)
      : io_threads_wanted_(io_thread_count(options)),
        worker_threads_wanted_(worker_thread_count(options)),
        sessions_(this, std::move(handler), std::move(placement)),
        ioc_(io_threads_wanted_),
        listener_(ioc_, options.host, options.port) {}

  // Declaration order is destruction order in reverse, and it matters: coroutine frames
  // still queued in `workers_` or `ioc_` (only after a forced stop) are destroyed with
  // them, and a frame's Connection leaves the registry, so the registry outlives both.
  const int io_threads_wanted_;
  const int worker_threads_wanted_;
  ConnectionRegistry connections_;
  Sessions sessions_;

  // Lifecycle: start() and stop() run one at a time; run() waits for a stop request.
  std::mutex lifecycle_mutex_;
  std::mutex state_mutex_;
  std::condition_variable state_changed_;
  bool started_ = false;
  bool stop_requested_ = false;
  bool stopped_ = false;

  asio::io_context ioc_;
  Listener listener_;
  std::optional<asio::executor_work_guard<asio::io_context::executor_type>> io_work_;
  std::optional<WorkerPool> workers_;
  std::vector<std::thread> io_threads_;

  void serve(wire::tcp::socket socket) {
    auto connection = connections_.admit(std::move(socket));
    if (!connection) return;
    auto executor = connection->stream.get_executor();
    asio::co_spawn(executor, sessions_.serve(std::move(connection)), wire::log_escaped("session"));
  }

  void run_io() {
    tls_server = this;
    for (;;) {
      try {
        ioc_.run();
        return;
      } catch (const std::exception& e) {
        // Nothing of ours throws through run(); if something does, keep serving.
        log_event(spdlog::level::err,
                  {{"event", "io_thread_exception"}, {"detail", std::string_view(e.what())}});
      }
    }
  }

  void start() {
    std::lock_guard lifecycle(lifecycle_mutex_);
    {
      std::lock_guard lock(state_mutex_);
      if (started_) throw std::logic_error("essc::http::Server: run() or start() called twice");
      started_ = true;
      if (stopped_) return;  // stop() came first: nothing to run
    }
    workers_.emplace(worker_threads_wanted_, [this] { tls_server = this; });
    sessions_.use_workers(*workers_);
    io_work_.emplace(ioc_.get_executor());
    asio::co_spawn(listener_.executor(),
                   listener_.accept([this](wire::tcp::socket socket) { serve(std::move(socket)); },
                                    sessions_.stopping),
                   wire::log_escaped("listener"));
    io_threads_.reserve(static_cast<std::size_t>(io_threads_wanted_));
    for (int i = 0; i < io_threads_wanted_; ++i) io_threads_.emplace_back([this] { run_io(); });
  }

  // Wakes run(), which then calls stop() on its own thread.
  void request_stop() {
    {
      std::lock_guard lock(state_mutex_);
      stop_requested_ = true;
    }
    state_changed_.notify_all();
  }

  void wait_for_stop_request() {
    std::unique_lock lock(state_mutex_);
    state_changed_.wait(lock, [this] { return stop_requested_ || stopped_; });
  }

  // The part of stopping that never blocks: refuse new connections, close idle ones.
  void begin_stop() {
    if (sessions_.stopping.exchange(true)) return;
    log_event(spdlog::level::info,
              {{"event", "http_stopping"},
               {"in_flight", static_cast<std::int64_t>(sessions_.in_flight.load())}});
    listener_.close();
    connections_.close_idle();
  }

  // Lets the requests being read or handled finish within the grace period, then cuts
  // what is left. A handler still running on a worker finishes (threads cannot be
  // interrupted) but its answer is not written.
  void drain_connections() {
    const auto deadline = std::chrono::steady_clock::now() + Milliseconds(limits::kShutdownGraceMs);
    if (connections_.wait_until_empty(deadline)) return;
    const auto in_flight = static_cast<std::int64_t>(sessions_.in_flight.load());
    const auto cut = connections_.cut_all();
    log_event(spdlog::level::warn, {{"event", "http_stop_forced"},
                                    {"connections", static_cast<std::int64_t>(cut)},
                                    {"in_flight", in_flight}});
    connections_.wait_until_empty(std::chrono::steady_clock::now() + kForcedCloseWait);
  }

  void join_threads() {
    io_work_.reset();
    ioc_.stop();
    for (auto& thread : io_threads_) thread.join();
    io_threads_.clear();
    // Handler calls queued or waiting for a commit finish; their answers are not written.
    workers_->stop_and_join();
  }

  void stop() {
    if (tls_server == this) {
      begin_stop();
      request_stop();
      return;
    }
    std::lock_guard lifecycle(lifecycle_mutex_);
    bool running = false;
    {
      std::lock_guard lock(state_mutex_);
      if (stopped_) return;
      running = started_;
    }
    begin_stop();
    if (running) {
      drain_connections();
      join_threads();
    }
    // No thread of ours runs now, so the sockets can be touched directly: refuse new
    // connections at once and cut any left after a forced stop.
    listener_.close_now();
    connections_.close_all_now();
    {
      std::lock_guard lock(state_mutex_);
      stopped_ = true;
    }
    state_changed_.notify_all();
    log_event(spdlog::level::info, {{"event", "http_stopped"}});
  }
};

Server::Server(const ServerOptions& options, Handler handler, Placement placement)
    : impl_(std::make_unique<Impl>(options, std::move(handler), std::move(placement))) {}

Server::~Server() { impl_->stop(); }

std::uint16_t Server::port() const { return impl_->listener_.port(); }

void Server::run() {
  Impl& impl = *impl_;
  // Declared before start() so a signal arriving while threads start is not missed;
  // destroyed after stop() has joined them.
  asio::signal_set signals(impl.ioc_, SIGINT, SIGTERM);
  signals.async_wait([&impl](const wire::beast::error_code& error, int signal_number) {
    if (error) return;
    log_event(spdlog::level::info, {{"event", "signal"}, {"signal", std::int64_t{signal_number}}});
    impl.request_stop();
  });
  impl.start();
  impl.wait_for_stop_request();
  impl.stop();
}

void Server::start() { impl_->start(); }

void Server::stop() { impl_->stop(); }

std::size_t Server::in_flight() const { return impl_->sessions_.in_flight.load(); }

}  // namespace essc::http
