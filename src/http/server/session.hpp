// A session: one connection's read–dispatch–write loop, one request at a time (so a
// connection holds at most one answer in memory). A request the Placement admits runs on
// the I/O thread that read it; any other goes to a fiber of the worker pool while the
// coroutine waits, and its answer comes back to the connection's strand.
//
// Thread safety: serve() coroutines run on their connections' strands; the Sessions
// object is shared by all of them and only reads its members, apart from the atomics.
#pragma once

#include <atomic>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/parser.hpp>
#include <cstddef>
#include <memory>

#include "http/server.hpp"
#include "http/server/connection_registry.hpp"
#include "http/server/worker_pool.hpp"

namespace essc::http {

// The server whose thread (I/O or worker) this is, if any: a stop must not join the
// threads from one of them, it would wait for itself.
inline thread_local const void* tls_server = nullptr;

class Sessions {
 public:
  // `owner` marks the threads that run handlers (tls_server).
  Sessions(const void* owner, Handler handler, Placement placement)
      : owner_(owner), handler_(std::move(handler)), placement_(std::move(placement)) {}

  // REQUIRES: set before the first serve(); outlives every session.
  void use_workers(WorkerPool& workers) { workers_ = &workers; }

  // Serves the connection until either side closes it.
  wire::asio::awaitable<void> serve(std::shared_ptr<Connection> connection);

  // Once set, no new request is read and every answer carries `Connection: close`.
  std::atomic<bool> stopping{false};
  // Requests between their complete read and the end of their write.
  std::atomic<std::size_t> in_flight{0};

 private:
  enum class Read { kRequest, kDone };
  wire::asio::awaitable<bool> await_first_byte(Connection& connection,
                                               wire::beast::flat_buffer& buffer,
                                               bool first_request);
  // false: the header folds a line (obs-fold), to be refused.
  wire::asio::awaitable<bool> header_without_obs_fold(Connection& connection,
                                                      wire::beast::flat_buffer& buffer);
  wire::asio::awaitable<Read> read_request(
      Connection& connection, wire::beast::flat_buffer& buffer,
      wire::bhttp::request_parser<wire::bhttp::string_body>& parser);
  wire::asio::awaitable<bool> answer(Connection& connection, wire::BeastRequest message);
  wire::asio::awaitable<Response> respond(Request& request);
  wire::asio::awaitable<void> refuse_and_close(Connection& connection,
                                               wire::beast::flat_buffer& buffer, ErrorCode code);
  Response call_handler(Request& request);

  const void* const owner_;
  const Handler handler_;
  const Placement placement_;
  WorkerPool* workers_ = nullptr;
};

}  // namespace essc::http
