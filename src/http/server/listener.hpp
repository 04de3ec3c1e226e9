// The listening socket: binds at construction, then accepts connections and hands each
// socket, on a strand of its own, to the session that will serve it.
//
// Thread safety: accept() runs as one coroutine on the acceptor's strand; close() may be
// called from any thread; close_now() only when no I/O thread runs.
#pragma once

#include <atomic>
#include <boost/asio/io_context.hpp>
#include <cstdint>
#include <functional>
#include <string>

#include "http/server/wire.hpp"

namespace essc::http {

class Listener {
 public:
  using OnAccept = std::function<void(wire::tcp::socket)>;

  // Throws std::runtime_error naming the address if it cannot be bound.
  Listener(wire::asio::io_context& ioc, const std::string& host, std::uint16_t port);
  Listener(const Listener&) = delete;
  Listener& operator=(const Listener&) = delete;

  // The bound port (the chosen one when port was 0).
  std::uint16_t port() const { return port_; }

  // Accepts until closed or `stopping`; a failed accept (out of descriptors) is logged
  // and retried after limits::kAcceptRetryDelayMs.
  wire::asio::awaitable<void> accept(OnAccept on_accept, const std::atomic<bool>& stopping);
  // Stops accepting, on the acceptor's strand.
  void close();
  // REQUIRES: no I/O thread runs.
  void close_now();

  wire::asio::any_io_executor executor() { return acceptor_.get_executor(); }

 private:
  wire::tcp::endpoint resolve(const std::string& host, std::uint16_t port,
                              const std::string& where);

  wire::asio::io_context& ioc_;
  wire::tcp::acceptor acceptor_;
  std::uint16_t port_ = 0;
};

}  // namespace essc::http
