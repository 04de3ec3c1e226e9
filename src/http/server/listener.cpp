#include "http/server/listener.hpp"

#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <stdexcept>

#include "common/limits.hpp"
#include "common/log.hpp"

namespace essc::http {

Listener::Listener(wire::asio::io_context& ioc, const std::string& host, std::uint16_t port)
    : ioc_(ioc), acceptor_(wire::asio::make_strand(ioc)) {
  const std::string where = host + ":" + std::to_string(port);
  const auto endpoint = resolve(host, port, where);
  wire::beast::error_code error;
  const auto fail = [&](std::string_view step) {
    std::string message =
        "cannot listen on " + where + ": " + std::string(step) + " failed: " + error.message();
    if (error == wire::asio::error::address_in_use)
      message += " (is another server running there?)";
    throw std::runtime_error(message);
  };
  acceptor_.open(endpoint.protocol(), error);
  if (error) fail("open");
  // Lets a restarted server bind while old connections sit in TIME_WAIT.
  acceptor_.set_option(wire::asio::socket_base::reuse_address(true), error);
  if (error) fail("setsockopt");
  acceptor_.bind(endpoint, error);
  if (error) fail("bind");
  acceptor_.listen(wire::asio::socket_base::max_listen_connections, error);
  if (error) fail("listen");
  port_ = acceptor_.local_endpoint(error).port();
  if (error) fail("getsockname");
}

wire::tcp::endpoint Listener::resolve(const std::string& host, std::uint16_t port,
                                      const std::string& where) {
  wire::beast::error_code error;
  const auto address = wire::asio::ip::make_address(host, error);
  if (!error) return wire::tcp::endpoint(address, port);
  wire::tcp::resolver resolver(ioc_);
  const auto results =
      resolver.resolve(host, std::to_string(port),
                       wire::tcp::resolver::passive | wire::tcp::resolver::numeric_service, error);
  if (error || results.empty()) {
    throw std::runtime_error("cannot listen on " + where + ": cannot resolve host (" +
                             error.message() + ")");
  }
  return results.begin()->endpoint();
}

wire::asio::awaitable<void> Listener::accept(OnAccept on_accept,
                                             const std::atomic<bool>& stopping) {
  for (;;) {
    // A strand per connection: its coroutine, its timeouts and a stop's posts to it
    // never run at the same time.
    wire::tcp::socket socket(wire::asio::make_strand(ioc_));
    auto [error] = co_await acceptor_.async_accept(socket, wire::kNoThrow);
    if (stopping.load()) co_return;  // the socket, if any, closes unserved
    if (error == wire::asio::error::operation_aborted) co_return;
    if (error) {
      log_event(spdlog::level::warn, {{"event", "accept_failed"}, {"detail", error.message()}});
      wire::asio::steady_timer delay(acceptor_.get_executor(),
                                     wire::Milliseconds(limits::kAcceptRetryDelayMs));
      co_await delay.async_wait(wire::kNoThrow);
      continue;
    }
    on_accept(std::move(socket));
  }
}

void Listener::close() {
  wire::asio::post(acceptor_.get_executor(), [this] {
    wire::beast::error_code ignored;
    acceptor_.close(ignored);
  });
}

void Listener::close_now() {
  wire::beast::error_code ignored;
  acceptor_.close(ignored);
}

}  // namespace essc::http
