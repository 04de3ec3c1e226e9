#include "http/server/session.hpp"

#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/string.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/context/detail/exception.hpp>

#include "common/limits.hpp"
#include "common/log.hpp"

namespace essc::http {
namespace {

// One read while a connection waits for a request to begin, and the unit in which a
// lingering close discards input: big enough for a whole typical request at once.
constexpr std::size_t kReadChunkBytes = std::size_t{16} * 1024;

constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";

class InFlightCount {
 public:
  explicit InFlightCount(std::atomic<std::size_t>& count) : count_(count) { ++count_; }
  ~InFlightCount() { --count_; }
  InFlightCount(const InFlightCount&) = delete;
  InFlightCount& operator=(const InFlightCount&) = delete;

 private:
  std::atomic<std::size_t>& count_;
};

}  // namespace

wire::asio::awaitable<void> Sessions::serve(std::shared_ptr<Connection> connection) {
  wire::beast::flat_buffer buffer;
  bool first_request = true;
  for (;;) {
    if (stopping.load()) co_return;  // between requests: nothing to finish
    if (!co_await await_first_byte(*connection, buffer, first_request)) co_return;
    first_request = false;
    wire::bhttp::request_parser<wire::bhttp::string_body> parser;
    if (co_await read_request(*connection, buffer, parser) == Read::kDone) co_return;
    if (!co_await answer(*connection, parser.release())) co_return;
  }
}

// Idle until the first byte: the idle timeout applies, and a stop may close the
// connection. Bytes left from a pipelined request skip the wait. false: the connection
// is over (closed by the peer, timed out, or closed by a stop).
wire::asio::awaitable<bool> Sessions::await_first_byte(Connection& connection,
                                                       wire::beast::flat_buffer& buffer,
                                                       bool first_request) {
  if (buffer.size() != 0) co_return true;
  connection.idle = true;
  connection.stream.expires_after(
      wire::Milliseconds(first_request ? limits::kRequestReadTimeoutMs : limits::kIdleTimeoutMs));
  auto [error, bytes] =
      co_await connection.stream.async_read_some(buffer.prepare(kReadChunkBytes), wire::kNoThrow);
  connection.idle = false;
  if (error) co_return false;
  buffer.commit(bytes);
  co_return true;
}

// Reads until the header's empty line is buffered (or the header limit, a read error or
// the timeout stops it: Beast's parse that follows answers those), and checks the block
// for obs-fold, which Beast's parser would silently join (RFC 9112 §5.2).
wire::asio::awaitable<bool> Sessions::header_without_obs_fold(Connection& connection,
                                                              wire::beast::flat_buffer& buffer) {
  const auto buffered = [&] {
    const auto bytes = buffer.data();
    return std::string_view(static_cast<const char*>(bytes.data()), bytes.size());
  };
  auto end = buffered().find("\r\n\r\n");
  while (end == std::string_view::npos && buffer.size() < limits::kRequestHeaderBytesMax) {
    auto [error, bytes] =
        co_await connection.stream.async_read_some(buffer.prepare(kReadChunkBytes), wire::kNoThrow);
    if (error) co_return true;
    buffer.commit(bytes);
    end = buffered().find("\r\n\r\n");
  }
  co_return !wire::has_obs_fold(
      buffered().substr(0, end == std::string_view::npos ? end : end + 2));
}

// A request has begun: the whole of it must arrive within the read timeout. A request
// the server refuses by itself (400, 413) is answered here and ends the connection.
wire::asio::awaitable<Sessions::Read> Sessions::read_request(
    Connection& connection, wire::beast::flat_buffer& buffer,
    wire::bhttp::request_parser<wire::bhttp::string_body>& parser) {
  auto& stream = connection.stream;
  parser.header_limit(static_cast<std::uint32_t>(limits::kRequestHeaderBytesMax));
  parser.body_limit(std::uint64_t{limits::kRequestBodyBytesMax});
  stream.expires_after(wire::Milliseconds(limits::kRequestReadTimeoutMs));
  if (!co_await header_without_obs_fold(connection, buffer)) {
    co_await refuse_and_close(connection, buffer, ErrorCode::kInvalidRequest);
    co_return Read::kDone;
  }
  auto [error, header_bytes] =
      co_await wire::bhttp::async_read_header(stream, buffer, parser, wire::kNoThrow);
  if (!error && wire::has_faulty_framing(parser.get())) {
    co_await refuse_and_close(connection, buffer, ErrorCode::kInvalidRequest);
    co_return Read::kDone;
  }
  if (!error && !parser.is_done()) {
    // curl and others wait (a second, for curl) for this before sending a body.
    if (wire::beast::iequals(parser.get()[wire::bhttp::field::expect], "100-continue")) {
      auto [continue_error, continue_bytes] = co_await wire::asio::async_write(
          stream, wire::asio::buffer(kContinue.data(), kContinue.size()), wire::kNoThrow);
      error = continue_error;
    }
    if (!error) {
      auto [body_error, body_bytes] =
          co_await wire::bhttp::async_read(stream, buffer, parser, wire::kNoThrow);
      error = body_error;
    }
  }
  if (!error) co_return Read::kRequest;
  if (const auto code = wire::answer_for_read_error(error))
    co_await refuse_and_close(connection, buffer, *code);
  co_return Read::kDone;
}

// Handles one request and writes its answer. false: the connection is over.
wire::asio::awaitable<bool> Sessions::answer(Connection& connection, wire::BeastRequest message) {
  const InFlightCount counted(in_flight);
  const unsigned version = message.version();
  const bool head = message.method() == wire::bhttp::verb::head;
  const bool keep_alive = message.keep_alive();
  Request request = wire::to_request(message);
  request.peer_address = connection.peer_address;
  const std::string request_id = request.request_id;  // the handler may change its copy

  Response response = co_await respond(request);
  if (response.status < 200 || response.status > 599) {
    log_event(spdlog::level::err, {{"event", "invalid_response_status"},
                                   {"request_id", request_id},
                                   {"status", std::int64_t{response.status}}});
    response = wire::error_answer(ErrorCode::kInternal, request_id);
  }
  // Read stopping only now, so an answer finished during shutdown says it is the last.
  const bool close = !keep_alive || stopping.load();
  auto reply = wire::to_message(std::move(response), request_id, version, head, close);
  connection.stream.expires_after(wire::Milliseconds(limits::kResponseWriteTimeoutMs));
  auto [error, written] =
      co_await wire::bhttp::async_write(connection.stream, reply, wire::kNoThrow);
  if (error) co_return false;
  if (!close) co_return true;
  wire::beast::error_code ignored;
  connection.stream.socket().shutdown(wire::tcp::socket::shutdown_send, ignored);
  co_return false;
}

// On this I/O thread when the placement admits it (memory and one short local read cost
// less than the two context switches of a hand-off); on a fiber of the worker pool
// otherwise.
wire::asio::awaitable<Response> Sessions::respond(Request& request) {
  if (placement_ && placement_(request)) co_return call_handler(request);
  co_return co_await workers_->run([this, &request] { return call_handler(request); });
}

// Answers a request the server refuses by itself (400, 413), then closes the
// connection after a lingering drain (limits::kLingerCloseMs says why).
wire::asio::awaitable<void> Sessions::refuse_and_close(Connection& connection,
                                                       wire::beast::flat_buffer& buffer,
                                                       ErrorCode code) {
  auto& stream = connection.stream;
  const std::string request_id = wire::new_request_id();
  log_event(
      spdlog::level::info,
      {{"event", "request_refused"}, {"request_id", request_id}, {"code", error_info(code).code}});
  auto reply = wire::to_message(wire::error_answer(code, request_id), request_id, 11, false, true);
  stream.expires_after(wire::Milliseconds(limits::kResponseWriteTimeoutMs));
  auto [write_error, written] = co_await wire::bhttp::async_write(stream, reply, wire::kNoThrow);
  if (write_error) co_return;
  wire::beast::error_code ignored;
  stream.socket().shutdown(wire::tcp::socket::shutdown_send, ignored);
  stream.expires_after(wire::Milliseconds(limits::kLingerCloseMs));
  buffer.consume(buffer.size());
  std::size_t discarded = 0;
  while (discarded < limits::kLingerDiscardBytesMax) {
    auto [drain_error, bytes] =
        co_await stream.async_read_some(buffer.prepare(kReadChunkBytes), wire::kNoThrow);
    if (drain_error) break;  // the client closed too (or time is up): done
    discarded += bytes;
  }
}

// Whatever the handler throws becomes a 500 that says nothing; the detail goes to the log.
Response Sessions::call_handler(Request& request) {
  tls_server = owner_;
  const std::string request_id = request.request_id;
  try {
    return handler_(request);
  } catch (const boost::context::detail::forced_unwind&) {
    throw;  // a fiber destroyed while suspended unwinds its stack
  } catch (const std::exception& e) {
    log_event(spdlog::level::err, {{"event", "exception"},
                                   {"request_id", request_id},
                                   {"detail", std::string_view(e.what())}});
  } catch (...) {
    log_event(
        spdlog::level::err,
        {{"event", "exception"}, {"request_id", request_id}, {"detail", "not a std::exception"}});
  }
  return wire::error_answer(ErrorCode::kInternal, request_id);
}

}  // namespace essc::http
