// The HTTP/1.1 server: accepts connections, reads requests, runs the Handler for each,
// on the I/O thread or on a worker thread as the Placement decides, and writes its
// Response back (docs/architecture.md "Threads: what runs where").
//
// Shape (after the Boost.Beast advanced server), one file each under server/: the
// listener only accepts; a session per connection only reads, dispatches and writes, one
// request at a time (so the response queue of a connection is bounded at one); the
// connection registry knows the open connections and winds them down at a stop; this
// class owns the threads and the order of a stop. The Handler is a pure function from
// Request to Response. Only server.cpp and server/ include Boost.Beast and Boost.Asio:
// this header exposes no Boost type, which keeps those heavy headers out of the rest.
//
// Threads: `io_threads` run the sessions as coroutines and the handlers of the requests
// the Placement admits (memory and one short local read: cheaper than the two context
// switches of a hand-off); `worker_threads` run every other Handler call, each on a
// fiber of its own (server/worker_pool.hpp), which may block (Argon2id, an adapter) or
// wait for a write's commit with the fiber suspended and the thread free
// (common/wait.hpp).
//
// Thread safety: stop() and in_flight() may be called from any thread at any time,
// port() too once constructed. run() or start() is called once, by the owner.
//
// Invariants:
//   1. The Handler runs on an I/O thread only for a request the Placement admitted.
//   2. A connection carries at most one request between its complete read and the end
//      of its write; in_flight() counts those requests.
//   3. Once stop() has begun, no new connection is served and every response carries
//      `Connection: close`.
//   4. Nothing a client sends (malformed bytes, oversized bodies or headers, slowness)
//      ends the process: it gets 400/413 or a closed connection.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "http/message.hpp"

namespace essc::http {

struct ServerOptions {
  std::string host = "127.0.0.1";
  std::uint16_t port = 8080;  // 0 picks a free port
  int io_threads = 0;         // 0: std::thread::hardware_concurrency()
  int worker_threads = 0;     // the handlers' fibers' threads; 0: 4 × cores, at least 4
};

// A pure function from request to response. It may block (database, Argon2id) where the
// Placement did not admit the request, and may be called concurrently. An exception it
// throws becomes a 500 INTERNAL answer; its what() goes to the log only.
using Handler = std::function<Response(Request&)>;

// Whether the Handler may answer this request on the I/O thread that read it: only when
// it touches memory and at most one short read that never leaves the machine (a route's
// Work, http/router.hpp). Anything that may block stalls every connection of that
// thread. Called on the I/O thread, so it must itself be cheap; it must not throw.
// Empty: every request goes to the worker pool.
using Placement = std::function<bool(const Request&)>;

class Server {
 public:
  // Binds and listens at once, so port() is known before run().
  // Throws std::runtime_error naming the address if it cannot be bound.
  Server(const ServerOptions& options, Handler handler, Placement placement = {});
  // Stops and joins if still running.
  // REQUIRES: not called from a Handler or an I/O thread of this server.
  ~Server();

  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // The bound port (the chosen one when ServerOptions::port was 0).
  std::uint16_t port() const;

  // Runs the I/O and worker threads and returns after a graceful stop, triggered by
  // stop() from another thread or by SIGINT/SIGTERM, which run() handles meanwhile.
  // REQUIRES: neither run() nor start() was called before.
  void run();
  // Like run() but returns at once; the threads run in the background (tests).
  // REQUIRES: neither run() nor start() was called before.
  void start();

  // Graceful stop: stops accepting, closes idle keep-alive connections, lets requests
  // already being received or handled finish (up to limits::kShutdownGraceMs; then
  // their connections are cut), then joins the threads. When it returns, new
  // connections are refused. Safe from any thread and more than once; a later call
  // waits for the first to finish. Called from a Handler or an I/O thread it only
  // begins the stop (joining there would wait for itself); run() or ~Server joins.
  void stop();

  // Requests between their complete read and the end of their write, now.
  std::size_t in_flight() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace essc::http
