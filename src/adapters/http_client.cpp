#include "adapters/http_client.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
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

Error unavailable(const std::string& detail) { return Error(ErrorCode::kUnavailable, "http_call: " + detail); }

template <class Stream>
Result<HttpReply> exchange(Stream& stream, http::request<http::string_body>& request, beast::tcp_stream& tcp,
                           std::chrono::steady_clock::time_point deadline) {
  beast::error_code ec;
  tcp.expires_at(deadline);
  http::write(stream, request, ec);
  if (ec) return unavailable("write: " + ec.message());
  beast::flat_buffer buffer;
  http::response_parser<http::string_body> parser;
  parser.body_limit(kReplyBodyBytesMax);
  tcp.expires_at(deadline);
  http::read(stream, buffer, parser, ec);
  if (ec) return unavailable("read: " + ec.message());
  return HttpReply{static_cast<int>(parser.get().result_int()), parser.get().body()};
}

}  // namespace

Result<HttpReply> http_call(const HttpCall& call) {
  try {
    const auto url = boost::urls::parse_absolute_uri(call.url);
    if (!url) return unavailable("malformed URL");
    const bool tls = url->scheme() == "https";
    if (!tls && url->scheme() != "http") return unavailable("unsupported scheme");
    const std::string host(url->host());
    const std::string port = url->has_port() ? std::string(url->port()) : (tls ? "443" : "80");
    std::string target(url->encoded_path());
    if (target.empty()) target = "/";
    if (url->has_query()) target += "?" + std::string(url->encoded_query());

    const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(call.timeout_ms);
    asio::io_context io;
    beast::tcp_stream tcp(io);
    asio::ip::tcp::resolver resolver(io);
    beast::error_code ec;
    const auto endpoints = resolver.resolve(host, port, ec);
    if (ec) return unavailable("resolve: " + ec.message());
    tcp.expires_at(deadline);
    tcp.connect(endpoints, ec);
    if (ec) return unavailable("connect: " + ec.message());

    http::request<http::string_body> request{http::string_to_verb(call.method), target, 11};
    request.set(http::field::host, host);
    request.set(http::field::user_agent, "essc");
    for (const auto& [name, value] : call.headers) request.set(name, value);
    request.body() = call.body;
    request.prepare_payload();

    if (!tls) {
      auto reply = exchange(tcp, request, tcp, deadline);
      tcp.socket().shutdown(asio::ip::tcp::socket::shutdown_both, ec);
      return reply;
    }
    asio::ssl::context context(asio::ssl::context::tls_client);
    context.set_default_verify_paths();
    context.set_verify_mode(asio::ssl::verify_peer);
    beast::ssl_stream<beast::tcp_stream&> stream(tcp, context);
    if (!SSL_set_tlsext_host_name(stream.native_handle(), host.c_str())) return unavailable("SNI");
    stream.set_verify_callback(asio::ssl::host_name_verification(host));
    tcp.expires_at(deadline);
    stream.handshake(asio::ssl::stream_base::client, ec);
    if (ec) return unavailable("TLS handshake: " + ec.message());
    return exchange(stream, request, tcp, deadline);
  } catch (const std::exception& e) {
    return unavailable(e.what());
  }
}

}  // namespace essc::adapters
