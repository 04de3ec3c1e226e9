// The one translation unit of bench/ that includes Boost.Beast and Boost.Asio.
#include "bench/http_load.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <chrono>
#include <stdexcept>

namespace essc::bench {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;
using Clock = std::chrono::steady_clock;
constexpr auto kTuple = asio::as_tuple(asio::use_awaitable);
constexpr std::size_t kErrorBodyChars = 300;

struct Run {
  const LoadOptions& options;
  const FirstCall& first;
  const FollowReply& follow;
  LoadResult result;
  std::int64_t next_index = 0;
  bool exhausted = false;
  int connections_open = 0;
  Clock::time_point start = Clock::now();
  Clock::time_point deadline = start + std::chrono::duration_cast<Clock::duration>(
                                           std::chrono::duration<double>(options.seconds_max));
  Clock::time_point last_end = start;

  void fail(std::string what) {
    ++result.errors;
    if (result.first_error.empty()) result.first_error = std::move(what);
  }
};

http::request<http::string_body> to_request(const HttpCall& call, const std::string& host) {
  http::request<http::string_body> request{http::string_to_verb(call.method), call.target, 11};
  request.set(http::field::host, host);
  for (const auto& [name, value] : call.headers) request.set(name, value);
  if (!call.body.empty()) request.set(http::field::content_type, "application/json");
  request.body() = call.body;
  request.prepare_payload();
  return request;
}

asio::awaitable<void> connection(Run& run, tcp::endpoint endpoint) {
  const auto executor = co_await asio::this_coro::executor;
  beast::tcp_stream stream(executor);
  beast::flat_buffer buffer;
  asio::steady_timer pacing(executor);
  bool connected = false;
  const auto& options = run.options;
  const auto call_timeout = std::chrono::duration_cast<Clock::duration>(
      std::chrono::duration<double>(options.call_timeout_seconds));
  while (!run.exhausted && run.next_index < options.operations_max && Clock::now() < run.deadline) {
    const auto index = run.next_index++;
    auto call = run.first(index);
    if (!call) {
      run.exhausted = true;
      break;
    }
    auto began = Clock::now();
    if (options.rate_per_second > 0) {
      began = run.start + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(
                              static_cast<double>(index) / options.rate_per_second));
      if (began >= run.deadline) break;
      pacing.expires_at(began);
      co_await pacing.async_wait(kTuple);
    }
    while (call) {
      if (!connected) {
        stream.expires_after(call_timeout);
        auto [error] = co_await stream.async_connect(endpoint, kTuple);
        if (error) {
          run.fail("connect: " + error.message());
          break;
        }
        stream.socket().set_option(tcp::no_delay(true));
        connected = true;
      }
      auto request = to_request(*call, options.host);
      stream.expires_after(call_timeout);
      auto [write_error, written] = co_await http::async_write(stream, request, kTuple);
      http::response<http::string_body> response;
      if (!write_error) {
        auto [read_error, read] = co_await http::async_read(stream, buffer, response, kTuple);
        write_error = read_error;
      }
      if (write_error) {
        run.fail(call->method + " " + call->target + ": " + write_error.message());
        beast::error_code ignored;
        stream.socket().close(ignored);
        buffer.clear();
        connected = false;
        break;
      }
      if (!response.keep_alive()) {
        beast::error_code ignored;
        stream.socket().close(ignored);
        buffer.clear();
        connected = false;
      }
      HttpReply reply{response.result_int(), std::move(response.body())};
      auto verdict = run.follow(index, reply);
      if (!verdict.ok) {
        run.fail(call->method + " " + call->target + ": " + std::to_string(reply.status) + " " +
                 reply.body.substr(0, kErrorBodyChars));
        break;
      }
      call = std::move(verdict.next);
    }
    const auto ended = Clock::now();
    run.last_end = std::max(run.last_end, ended);
    ++run.result.completed;
    run.result.latencies_ms.push_back(
        std::chrono::duration<double, std::milli>(ended - began).count());
  }
  if (connected) {
    beast::error_code ignored;
    stream.socket().shutdown(tcp::socket::shutdown_both, ignored);
  }
  --run.connections_open;
}

asio::awaitable<void> ticker(Run& run, const Tick& tick) {
  asio::steady_timer timer(co_await asio::this_coro::executor);
  auto at = run.start;
  while (run.connections_open > 0) {
    at += std::chrono::seconds(1);
    timer.expires_at(at);
    co_await timer.async_wait(kTuple);
    run.result.seconds = std::chrono::duration<double>(Clock::now() - run.start).count();
    if (run.connections_open > 0) tick(run.result);
  }
}

}  // namespace

LoadResult run_load(const LoadOptions& options, const FirstCall& first, const FollowReply& follow,
                    const Tick& tick) {
  if (options.connections < 1) throw std::invalid_argument("at least one connection");
  asio::io_context io(1);
  const tcp::endpoint endpoint(asio::ip::make_address(options.host), options.port);
  Run run{options, first, follow, {}};
  run.result.latencies_ms.reserve(
      static_cast<std::size_t>(std::min<std::int64_t>(options.operations_max, 10'000'000)));
  run.connections_open = options.connections;
  for (int i = 0; i < options.connections; ++i)
    asio::co_spawn(io, connection(run, endpoint), asio::detached);
  if (tick) asio::co_spawn(io, ticker(run, tick), asio::detached);
  io.run();
  run.result.seconds = std::chrono::duration<double>(run.last_end - run.start).count();
  return std::move(run.result);
}

}  // namespace essc::bench
