#include "adapters/http_client.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/as_tuple.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/url/parse.hpp>

namespace essc::adapters {
namespace {

namespace beast = boost::beast;
namespace http = beast::http;
namespace asio = boost::asio;

// Answers of external services are small JSON documents; anything larger is refused.
constexpr std::uint64_t kReplyBodyBytesMax = 1024 * 1024;
constexpr auto kAwait = asio::as_tuple(asio::use_awaitable);

Error unavailable(const std::string& detail) { return Error(ErrorCode::kUnavailable, "http_call: " + detail); }

struct Target {
  bool tls = false;
  std::string host;
  std::string port;
  std::string path;
};

// beast::tcp_stream applies its deadline to asynchronous operations only, so the call
// runs as a coroutine on a private io_context driven by the calling thread.
template <class Stream>
asio::awaitable<Result<HttpReply>> exchange(Stream& stream, beast::tcp_stream& tcp,
                                            http::request<http::string_body>& request,
                                            std::chrono::steady_clock::time_point deadline) {
  tcp.expires_at(deadline);
  auto [write_error, written] = co_await http::async_write(stream, request, kAwait);
  if (write_error) co_return unavailable("write: " + write_error.message());
  beast::flat_buffer buffer;
  http::response_parser<http::string_body> parser;
  parser.body_limit(kReplyBodyBytesMax);
  tcp.expires_at(deadline);
  auto [read_error, read] = co_await http::async_read(stream, buffer, parser, kAwait);
  if (read_error) co_return unavailable("read: " + read_error.message());
  co_return HttpReply{static_cast<int>(parser.get().result_int()), parser.get().body()};
}

asio::awaitable<Result<HttpReply>> call_once(const HttpCall& call, const Target& target) {
  auto executor = co_await asio::this_coro::executor;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(call.timeout_ms);
  asio::ip::tcp::resolver resolver(executor);
  auto [resolve_error, endpoints] = co_await resolver.async_resolve(target.host, target.port, kAwait);
  if (resolve_error) co_return unavailable("resolve: " + resolve_error.message());
  beast::tcp_stream tcp(executor);
  tcp.expires_at(deadline);
  auto [connect_error, endpoint] = co_await tcp.async_connect(endpoints, kAwait);
  if (connect_error) co_return unavailable("connect: " + connect_error.message());

  http::request<http::string_body> request{http::string_to_verb(call.method), target.path, 11};
  request.set(http::field::host, target.host);
  request.set(http::field::user_agent, "essc");
  for (const auto& [name, value] : call.headers) request.set(name, value);
  request.body() = call.body;
  request.prepare_payload();

  if (!target.tls) co_return co_await exchange(tcp, tcp, request, deadline);
  asio::ssl::context context(asio::ssl::context::tls_client);
  context.set_default_verify_paths();
  context.set_verify_mode(asio::ssl::verify_peer);
  beast::ssl_stream<beast::tcp_stream&> stream(tcp, context);
  if (!SSL_set_tlsext_host_name(stream.native_handle(), target.host.c_str())) co_return unavailable("SNI");
  stream.set_verify_callback(asio::ssl::host_name_verification(target.host));
  tcp.expires_at(deadline);
  auto [handshake_error] = co_await stream.async_handshake(asio::ssl::stream_base::client, kAwait);
  if (handshake_error) co_return unavailable("TLS handshake: " + handshake_error.message());
  co_return co_await exchange(stream, tcp, request, deadline);
}

// co_spawn wants a default-constructible result; the answer goes to `out` instead.
asio::awaitable<void> run(const HttpCall& call, const Target& target, std::optional<Result<HttpReply>>& out) {
  out.emplace(co_await call_once(call, target));
}

}  // namespace

Result<HttpReply> http_call(const HttpCall& call) {
  try {
    const auto url = boost::urls::parse_absolute_uri(call.url);
    if (!url) return unavailable("malformed URL");
    Target target;
    target.tls = url->scheme() == "https";
    if (!target.tls && url->scheme() != "http") return unavailable("unsupported scheme");
    target.host = std::string(url->host());
    target.port = url->has_port() ? std::string(url->port()) : (target.tls ? "443" : "80");
    target.path = std::string(url->encoded_path());
    if (target.path.empty()) target.path = "/";
    if (url->has_query()) target.path += "?" + std::string(url->encoded_query());

    asio::io_context io;
    std::optional<Result<HttpReply>> result;
    asio::co_spawn(io, run(call, target, result), [&](std::exception_ptr failure) {
      if (failure) result.emplace(unavailable("unexpected failure"));
    });
    io.run();
    if (!result) return unavailable("the call did not complete");
    return std::move(*result);
  } catch (const std::exception& e) {
    return unavailable(e.what());
  }
}

}  // namespace essc::adapters
