// The one translation unit of src/ that includes Boost.Beast and Boost.Asio (server.hpp
// says why). Layout: helpers that turn bytes into Request and Response into bytes, then
// Server::Impl with its three roles — listen() accepts, session() serves one connection,
// stop() winds everything down.
#include "http/server.hpp"

#include <algorithm>
#include <atomic>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/string.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <chrono>
#include <condition_variable>
#include <csignal>
#include <exception>
#include <mutex>
#include <optional>
#include <random>
#include <stdexcept>
#include <string_view>
#include <thread>
#include <unordered_map>
#include <utility>
#include <vector>

#include "common/error.hpp"
#include "common/limits.hpp"
#include "common/log.hpp"

namespace essc::http {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;
using Milliseconds = std::chrono::milliseconds;

// Every awaited operation reports its error as a value: a client that hangs up or
// times out is ordinary, not exceptional.
constexpr auto kNoThrow = asio::as_tuple(asio::use_awaitable);

// One read while a connection waits for a request to begin, and the unit in which a
// lingering close discards input: big enough for a whole typical request at once.
constexpr std::size_t kReadChunkBytes = 16 * 1024;

// After a forced cut at the end of the grace period, how long stop() lets the cut
// connections' coroutines unwind before stopping the I/O threads outright.
constexpr Milliseconds kForcedCloseWait{200};

constexpr std::string_view kServerName = "essc";
constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";

// The server whose thread (I/O or worker) this is, if any: stop() must not join the
// threads from one of them, it would wait for itself.
thread_local const void* tls_owner = nullptr;

// 64 random bits as 16 lowercase hex characters. Request ids correlate a client's
// report with the logs; they are not secrets, so a per-thread Mersenne Twister will do.
std::string new_request_id() {
  thread_local std::mt19937_64 generator{(std::uint64_t{std::random_device{}()} << 32) ^
                                         std::uint64_t{std::random_device{}()}};
  static constexpr std::string_view kHex = "0123456789abcdef";
  std::uint64_t value = generator();
  std::string id(16, '0');
  for (std::size_t i = id.size(); i-- > 0;) {
    id[i] = kHex[value & 0xF];
    value >>= 4;
  }
  return id;
}

void append_json_string(std::string& out, std::string_view text) {
  static constexpr std::string_view kHex = "0123456789abcdef";
  out += '"';
  for (const char ch : text) {
    const auto byte = static_cast<unsigned char>(ch);
    if (ch == '"' || ch == '\\') {
      out += '\\';
      out += ch;
    } else if (byte < 0x20) {
      out += "\\u00";
      out += kHex[byte >> 4];
      out += kHex[byte & 0xF];
    } else {
      out += ch;  // UTF-8 passes through, as Boost.JSON writes it
    }
  }
  out += '"';
}

// The API.md error body with the catalogue's messages, for the answers the server gives
// itself (400, 413, 500); the same shape as http/json.cpp's error_response, without
// pulling Boost.JSON into this unit.
Response error_answer(ErrorCode code, std::string_view request_id) {
  const ErrorInfo& info = error_info(code);
  Response response;
  response.status = info.http_status;
  response.body = R"({"error":{"code":)";
  append_json_string(response.body, info.code);
  response.body += R"(,"message":)";
  append_json_string(response.body, info.message_zh);
  response.body += R"(,"message_en":)";
  append_json_string(response.body, info.message_en);
  response.body += R"(,"hotline":"12333","request_id":)";
  append_json_string(response.body, request_id);
  response.body += "}}";
  return response;
}

// RFC 9110 token characters: what a header name may be made of.
bool is_token(std::string_view text) {
  static constexpr std::string_view kSymbols = "!#$%&'*+-.^_`|~";
  return !text.empty() && std::all_of(text.begin(), text.end(), [](char ch) {
    return (ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
           kSymbols.find(ch) != std::string_view::npos;
  });
}

// A value with CR, LF or NUL would let a handler split the response (header injection).
bool is_safe_value(std::string_view text) {
  return text.find_first_of(std::string_view("\r\n\0", 3)) == std::string_view::npos;
}

// Framing is the server's: a handler's Content-Length or Connection would contradict it.
bool is_framing_header(std::string_view name) {
  return beast::iequals(name, "content-length") || beast::iequals(name, "transfer-encoding") ||
         beast::iequals(name, "connection");
}

std::string_view trim_whitespace(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

// RFC 9112 §6.3: the only transfer coding the server applies is a final `chunked`. With
// any other (gzip, an unknown name, chunked not last or twice) the body's length is
// unknown, and reading on would take the bytes of the body for the next request: a
// request smuggled past whatever stands in front of the server.
bool has_unreadable_transfer_coding(const bhttp::fields& fields) {
  std::size_t codings = 0;
  bool chunked_only = true;
  for (auto [it, end] = fields.equal_range(bhttp::field::transfer_encoding); it != end; ++it) {
    ++codings;
    chunked_only = chunked_only && beast::iequals(trim_whitespace(it->value()), "chunked");
  }
  return codings > 1 || !chunked_only;
}

Request to_request(bhttp::request<bhttp::string_body>& message) {
  Request request;
  request.method = std::string(message.method_string());
  request.target = std::string(message.target());
  for (const auto& field : message) {
    std::string name(field.name_string());
    std::transform(name.begin(), name.end(), name.begin(), [](char ch) {
      return (ch >= 'A' && ch <= 'Z') ? static_cast<char>(ch - 'A' + 'a') : ch;
    });
    request.headers.emplace_back(std::move(name), std::string(field.value()));
  }
  request.body = std::move(message.body());
  request.request_id = new_request_id();
  return request;
}

// REQUIRES: response.status in [200, 599] (the caller turns anything else into a 500).
bhttp::response<bhttp::string_body> to_message(Response&& response, std::string_view request_id,
                                               unsigned version, bool head, bool close) {
  bhttp::response<bhttp::string_body> message;
  message.version(version);
  message.result(static_cast<unsigned>(response.status));
  message.set(bhttp::field::server, kServerName);
  if (!response.content_type.empty() && is_safe_value(response.content_type)) {
    message.set(bhttp::field::content_type, response.content_type);
  }
  for (const auto& [name, value] : response.headers) {
    if (!is_token(name) || !is_safe_value(value)) {
      log_event(spdlog::level::err, {{"event", "response_header_dropped"},
                                     {"request_id", request_id},
                                     {"reason", "invalid name or value"}});
      continue;
    }
    if (is_framing_header(name)) continue;
    message.insert(name, value);
  }
  message.set("X-Request-Id", request_id);
  message.keep_alive(!close);
  const auto status = message.result();
  // These statuses have no body by definition (RFC 9110); Beast refuses to frame one.
  if (status != bhttp::status::no_content && status != bhttp::status::not_modified) {
    message.body() = std::move(response.body);
  }
  message.prepare_payload();
  // A HEAD answer states the length a GET would have, without the body.
  if (head) message.body().clear();
  return message;
}

// What a failed read deserves: an answer for a request the client got wrong, silence for
// a client that went away or was too slow.
std::optional<ErrorCode> answer_for_read_error(const beast::error_code& error) {
  if (error == bhttp::error::body_limit) return ErrorCode::kPayloadTooLarge;
  if (error == bhttp::error::end_of_stream || error == bhttp::error::partial_message) {
    return std::nullopt;
  }
  if (error.category() == bhttp::make_error_code(bhttp::error::bad_method).category()) {
    return ErrorCode::kInvalidRequest;  // malformed line or headers, header_limit, …
  }
  return std::nullopt;  // timeout, reset, cancelled by stop()
}

class InFlightCount {
 public:
  explicit InFlightCount(std::atomic<std::size_t>& count) : count_(count) { ++count_; }
  ~InFlightCount() { --count_; }
  InFlightCount(const InFlightCount&) = delete;
  InFlightCount& operator=(const InFlightCount&) = delete;

 private:
  std::atomic<std::size_t>& count_;
};

// Logs what escaped a coroutine; a broken connection must not end the process.
auto log_escaped(std::string_view what) {
  return [what](std::exception_ptr escaped) {
    if (!escaped) return;
    try {
      std::rethrow_exception(escaped);
    } catch (const std::exception& e) {
      log_event(spdlog::level::err, {{"event", "coroutine_exception"},
                                     {"where", what},
                                     {"detail", std::string_view(e.what())}});
    } catch (...) {
      log_event(spdlog::level::err, {{"event", "coroutine_exception"}, {"where", what}});
    }
  };
}

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
  // One accepted connection. `stream` and `idle` belong to the connection's strand;
  // other threads reach them only by posting there.
  struct Connection {
    Connection(Impl& owner_in, std::uint64_t id_in, tcp::socket socket)
        : owner(owner_in), id(id_in), stream(std::move(socket)) {}
    ~Connection() { owner.forget(id); }
    Connection(const Connection&) = delete;
    Connection& operator=(const Connection&) = delete;

    Impl& owner;
    const std::uint64_t id;
    beast::tcp_stream stream;
    bool idle = false;  // waiting for the first byte of a request: stop() may close it
  };

  Impl(ServerOptions options, Handler handler)
      : options_(std::move(options)),
        handler_(std::move(handler)),
        io_threads_wanted_(io_thread_count(options_)),
        worker_threads_wanted_(worker_thread_count(options_)),
        ioc_(io_threads_wanted_),
        acceptor_(asio::make_strand(ioc_)) {
    bind_and_listen();
  }

  // Declaration order is destruction order in reverse, and it matters: coroutine frames
  // still queued in `workers` or `ioc` (only after a forced stop) are destroyed with
  // them, and a frame's Connection calls forget(), so the registry outlives both.
  const ServerOptions options_;
  const Handler handler_;
  const int io_threads_wanted_;
  const int worker_threads_wanted_;
  std::uint16_t bound_port_ = 0;

  std::atomic<std::size_t> in_flight_{0};
  std::atomic<bool> stopping_{false};

  // Registry of open connections, so stop() can close idle ones and wait for the rest.
  std::mutex sessions_mutex_;
  std::condition_variable sessions_changed_;
  std::unordered_map<std::uint64_t, std::weak_ptr<Connection>> sessions_;
  std::uint64_t next_session_id_ = 0;

  // Lifecycle: start() and stop() run one at a time; run() waits for a stop request.
  std::mutex lifecycle_mutex_;
  std::mutex state_mutex_;
  std::condition_variable state_changed_;
  bool started_ = false;
  bool stop_requested_ = false;
  bool stopped_ = false;

  asio::io_context ioc_;
  tcp::acceptor acceptor_;
  std::optional<asio::executor_work_guard<asio::io_context::executor_type>> io_work_;
  std::optional<asio::thread_pool> workers_;
  std::vector<std::thread> io_threads_;

  void bind_and_listen() {
    const std::string where = options_.host + ":" + std::to_string(options_.port);
    beast::error_code error;
    tcp::endpoint endpoint;
    const auto address = asio::ip::make_address(options_.host, error);
    if (!error) {
      endpoint = tcp::endpoint(address, options_.port);
    } else {
      tcp::resolver resolver(ioc_);
      const auto results =
          resolver.resolve(options_.host, std::to_string(options_.port),
                           tcp::resolver::passive | tcp::resolver::numeric_service, error);
      if (error || results.empty()) {
        throw std::runtime_error("cannot listen on " + where + ": cannot resolve host (" +
                                 error.message() + ")");
      }
      endpoint = results.begin()->endpoint();
    }
    const auto fail = [&](std::string_view step) {
      std::string message =
          "cannot listen on " + where + ": " + std::string(step) + " failed: " + error.message();
      if (error == asio::error::address_in_use) message += " (is another server running there?)";
      throw std::runtime_error(message);
    };
    acceptor_.open(endpoint.protocol(), error);
    if (error) fail("open");
    // Lets a restarted server bind while old connections sit in TIME_WAIT.
    acceptor_.set_option(asio::socket_base::reuse_address(true), error);
    if (error) fail("setsockopt");
    acceptor_.bind(endpoint, error);
    if (error) fail("bind");
    acceptor_.listen(asio::socket_base::max_listen_connections, error);
    if (error) fail("listen");
    bound_port_ = acceptor_.local_endpoint(error).port();
    if (error) fail("getsockname");
  }

  // Registers an accepted connection; nullptr (and the socket closed) at the limit.
  std::shared_ptr<Connection> admit(tcp::socket socket) {
    std::lock_guard lock(sessions_mutex_);
    if (sessions_.size() >= limits::kConnectionsMax) return nullptr;
    const std::uint64_t id = next_session_id_++;
    auto connection = std::make_shared<Connection>(*this, id, std::move(socket));
    sessions_.emplace(id, connection);
    return connection;
  }

  void forget(std::uint64_t id) {
    {
      std::lock_guard lock(sessions_mutex_);
      sessions_.erase(id);
    }
    sessions_changed_.notify_all();
  }

  // The open connections. The caller drops them outside the registry lock: the last
  // reference ends in ~Connection, which takes that lock.
  std::vector<std::shared_ptr<Connection>> snapshot() {
    std::vector<std::shared_ptr<Connection>> open;
    std::lock_guard lock(sessions_mutex_);
    open.reserve(sessions_.size());
    for (const auto& [id, weak] : sessions_) {
      if (auto connection = weak.lock()) open.push_back(std::move(connection));
    }
    return open;
  }

  asio::awaitable<void> listen() {
    for (;;) {
      // A strand per connection: its coroutine, its timeouts and stop()'s posts to it
      // never run at the same time.
      tcp::socket socket(asio::make_strand(ioc_));
      auto [error] = co_await acceptor_.async_accept(socket, kNoThrow);
      if (stopping_.load()) co_return;  // the socket, if any, closes unserved
      if (error == asio::error::operation_aborted) co_return;
      if (error) {
        log_event(spdlog::level::warn, {{"event", "accept_failed"}, {"detail", error.message()}});
        asio::steady_timer delay(acceptor_.get_executor(),
                                 Milliseconds(limits::kAcceptRetryDelayMs));
        co_await delay.async_wait(kNoThrow);
        continue;
      }
      auto connection = admit(std::move(socket));
      if (!connection) continue;
      auto executor = connection->stream.get_executor();
      asio::co_spawn(executor, session(std::move(connection)), log_escaped("session"));
    }
  }

  // Reads requests and writes answers on one connection until either side closes it.
  asio::awaitable<void> session(std::shared_ptr<Connection> connection) {
    beast::tcp_stream& stream = connection->stream;
    beast::flat_buffer buffer;
    bool first_request = true;
    for (;;) {
      if (stopping_.load()) co_return;  // between requests: nothing to finish

      // Idle until the first byte: the idle timeout applies, and stop() may close the
      // connection. Bytes left from a pipelined request skip the wait.
      if (buffer.size() == 0) {
        connection->idle = true;
        stream.expires_after(
            Milliseconds(first_request ? limits::kRequestReadTimeoutMs : limits::kIdleTimeoutMs));
        auto [idle_error, bytes] =
            co_await stream.async_read_some(buffer.prepare(kReadChunkBytes), kNoThrow);
        connection->idle = false;
        if (idle_error) co_return;  // closed by the peer, timed out, or closed by stop()
        buffer.commit(bytes);
      }
      first_request = false;

      // A request has begun: the whole of it must arrive within the read timeout.
      bhttp::request_parser<bhttp::string_body> parser;
      parser.header_limit(static_cast<std::uint32_t>(limits::kRequestHeaderBytesMax));
      parser.body_limit(std::uint64_t{limits::kRequestBodyBytesMax});
      stream.expires_after(Milliseconds(limits::kRequestReadTimeoutMs));
      auto [read_error, header_bytes] =
          co_await bhttp::async_read_header(stream, buffer, parser, kNoThrow);
      if (!read_error && has_unreadable_transfer_coding(parser.get())) {
        co_await answer_and_close(stream, buffer, ErrorCode::kInvalidRequest);
        co_return;
      }
      if (!read_error && !parser.is_done()) {
        // curl and others wait (a second, for curl) for this before sending a body.
        if (beast::iequals(parser.get()[bhttp::field::expect], "100-continue")) {
          auto [continue_error, continue_bytes] = co_await asio::async_write(
              stream, asio::buffer(kContinue.data(), kContinue.size()), kNoThrow);
          read_error = continue_error;
        }
        if (!read_error) {
          auto [body_error, body_bytes] =
              co_await bhttp::async_read(stream, buffer, parser, kNoThrow);
          read_error = body_error;
        }
      }
      if (read_error) {
        if (const auto code = answer_for_read_error(read_error)) {
          co_await answer_and_close(stream, buffer, *code);
        }
        co_return;
      }

      const InFlightCount counted(in_flight_);
      bhttp::request<bhttp::string_body> message = parser.release();
      const unsigned version = message.version();
      const bool head = message.method() == bhttp::verb::head;
      const bool keep_alive = message.keep_alive();
      Request request = to_request(message);
      const std::string request_id = request.request_id;  // the handler may change its copy

      // The handler may block: it runs on the worker pool while this coroutine waits,
      // and the answer comes back to the connection's strand.
      Response response = co_await asio::co_spawn(
          workers_->get_executor(),
          [this, &request]() -> asio::awaitable<Response> { co_return call_handler(request); },
          asio::use_awaitable);
      if (response.status < 200 || response.status > 599) {
        log_event(spdlog::level::err, {{"event", "invalid_response_status"},
                                       {"request_id", request_id},
                                       {"status", std::int64_t{response.status}}});
        response = error_answer(ErrorCode::kInternal, request_id);
      }

      // Read stopping only now, so an answer finished during shutdown says it is the last.
      const bool close = !keep_alive || stopping_.load();
      auto answer = to_message(std::move(response), request_id, version, head, close);
      stream.expires_after(Milliseconds(limits::kResponseWriteTimeoutMs));
      auto [write_error, written] = co_await bhttp::async_write(stream, answer, kNoThrow);
      if (write_error) co_return;
      if (close) {
        beast::error_code ignored;
        stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
        co_return;
      }
    }
  }

  // Answers a request the server refuses by itself (400, 413), then closes the
  // connection after a lingering drain (limits::kLingerCloseMs says why).
  asio::awaitable<void> answer_and_close(beast::tcp_stream& stream, beast::flat_buffer& buffer,
                                         ErrorCode code) {
    const std::string request_id = new_request_id();
    log_event(spdlog::level::info, {{"event", "request_refused"},
                                    {"request_id", request_id},
                                    {"code", error_info(code).code}});
    auto answer = to_message(error_answer(code, request_id), request_id, 11, false, true);
    stream.expires_after(Milliseconds(limits::kResponseWriteTimeoutMs));
    auto [write_error, written] = co_await bhttp::async_write(stream, answer, kNoThrow);
    if (write_error) co_return;
    beast::error_code ignored;
    stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
    stream.expires_after(Milliseconds(limits::kLingerCloseMs));
    buffer.consume(buffer.size());
    std::size_t discarded = 0;
    while (discarded < limits::kLingerDiscardBytesMax) {
      auto [drain_error, bytes] =
          co_await stream.async_read_some(buffer.prepare(kReadChunkBytes), kNoThrow);
      if (drain_error) break;  // the client closed too (or time is up): done
      discarded += bytes;
    }
  }

  // Runs on a worker thread. Whatever the handler throws becomes a 500 that says nothing;
  // the detail goes to the log.
  Response call_handler(Request& request) {
    tls_owner = this;
    const std::string request_id = request.request_id;
    try {
      return handler_(request);
    } catch (const std::exception& e) {
      log_event(spdlog::level::err, {{"event", "exception"},
                                     {"request_id", request_id},
                                     {"detail", std::string_view(e.what())}});
    } catch (...) {
      log_event(
          spdlog::level::err,
          {{"event", "exception"}, {"request_id", request_id}, {"detail", "not a std::exception"}});
    }
    return error_answer(ErrorCode::kInternal, request_id);
  }

  void run_io() {
    tls_owner = this;
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
    workers_.emplace(static_cast<std::size_t>(worker_threads_wanted_));
    io_work_.emplace(ioc_.get_executor());
    asio::co_spawn(acceptor_.get_executor(), listen(), log_escaped("listener"));
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
    if (stopping_.exchange(true)) return;
    log_event(spdlog::level::info, {{"event", "http_stopping"},
                                    {"in_flight", static_cast<std::int64_t>(in_flight_.load())}});
    asio::post(acceptor_.get_executor(), [this] {
      beast::error_code ignored;
      acceptor_.close(ignored);
    });
    for (auto& connection : snapshot()) {
      auto executor = connection->stream.get_executor();
      asio::post(executor, [connection = std::move(connection)] {
        if (connection->idle) connection->stream.cancel();
      });
    }
  }

  void stop() {
    if (tls_owner == this) {
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
      const auto deadline =
          std::chrono::steady_clock::now() + Milliseconds(limits::kShutdownGraceMs);
      bool drained = false;
      {
        std::unique_lock lock(sessions_mutex_);
        drained =
            sessions_changed_.wait_until(lock, deadline, [this] { return sessions_.empty(); });
      }
      if (!drained) {
        // Past the grace period: cut what is left. A handler still running on a worker
        // finishes (threads cannot be interrupted) but its answer is not written.
        auto open = snapshot();
        log_event(spdlog::level::warn,
                  {{"event", "http_stop_forced"},
                   {"connections", static_cast<std::int64_t>(open.size())},
                   {"in_flight", static_cast<std::int64_t>(in_flight_.load())}});
        for (auto& connection : open) {
          auto executor = connection->stream.get_executor();
          asio::post(executor, [connection = std::move(connection)] {
            beast::error_code ignored;
            connection->stream.socket().shutdown(tcp::socket::shutdown_both, ignored);
            connection->stream.cancel();
          });
        }
        open.clear();
        std::unique_lock lock(sessions_mutex_);
        sessions_changed_.wait_for(lock, kForcedCloseWait, [this] { return sessions_.empty(); });
      }
      io_work_.reset();
      ioc_.stop();
      for (auto& thread : io_threads_) thread.join();
      io_threads_.clear();
      // Drops handler calls not yet begun; waits for those running.
      workers_->stop();
      workers_->join();
    }
    // No thread of ours runs now, so the sockets can be touched directly: refuse new
    // connections at once and cut any left after a forced stop.
    beast::error_code ignored;
    acceptor_.close(ignored);
    for (auto& connection : snapshot()) connection->stream.socket().close(ignored);
    {
      std::lock_guard lock(state_mutex_);
      stopped_ = true;
    }
    state_changed_.notify_all();
    log_event(spdlog::level::info, {{"event", "http_stopped"}});
  }
};

Server::Server(ServerOptions options, Handler handler)
    : impl_(std::make_unique<Impl>(std::move(options), std::move(handler))) {}

Server::~Server() { impl_->stop(); }

std::uint16_t Server::port() const { return impl_->bound_port_; }

void Server::run() {
  Impl& impl = *impl_;
  // Declared before start() so a signal arriving while threads start is not missed;
  // destroyed after stop() has joined them.
  asio::signal_set signals(impl.ioc_, SIGINT, SIGTERM);
  signals.async_wait([&impl](const beast::error_code& error, int signal_number) {
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

std::size_t Server::in_flight() const { return impl_->in_flight_.load(); }

}  // namespace essc::http
