// The only file of adapters/ that sees Beast and Asio: every other adapter speaks to
// the network through http_call, so their compile times and headers stay small.
//
// How the one deadline holds: beast::tcp_stream enforces its expiry on asynchronous
// operations only, so each step (connect, handshake, write, read) is started
// asynchronously and a private io_context is run on the calling thread until it ends.
// Name resolution is the exception, see resolve().
#include "adapters/http_client.hpp"

#include <algorithm>
#include <array>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/ssl/error.hpp>
#include <boost/asio/ssl/host_name_verification.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>
#include <boost/url/parse.hpp>
#include <charconv>
#include <chrono>
#include <functional>
#include <future>
#include <iterator>
#include <thread>
#include <type_traits>

#include "common/limits.hpp"

namespace essc::adapters {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;
using Clock = std::chrono::steady_clock;

// The detail names the step that failed, never the URL (it may carry a token) nor a
// header (the API key).
Error unavailable(std::string_view detail) {
  return Error(ErrorCode::kUnavailable, "http_call: " + std::string(detail));
}

struct Target {
  bool tls = false;
  bool ip_literal = false;  // no DNS lookup, and no SNI (RFC 6066 forbids addresses)
  std::string host;         // as resolved and verified: an IPv6 address without brackets
  std::string port;
  std::string host_header;  // as written in the URL, brackets and port included
  std::string path;         // origin-form: path and query, never empty
};

Result<Target> parse_target(const std::string& url_text) {
  const auto url = boost::urls::parse_absolute_uri(url_text);
  if (!url) return unavailable("malformed URL");
  Target target;
  target.tls = url->scheme() == "https";
  if (!target.tls && url->scheme() != "http") return unavailable("unsupported scheme");
  target.host = url->host_address();
  if (target.host.empty()) return unavailable("URL without a host");
  target.ip_literal = url->host_type() == boost::urls::host_type::ipv4 ||
                      url->host_type() == boost::urls::host_type::ipv6;
  target.port = std::string(url->port());
  if (target.port.empty()) target.port = target.tls ? "443" : "80";
  // The URL grammar allows any run of digits; the resolver would wrap 65616 to 80.
  unsigned port_number = 0;
  const auto [end, parse_error] =
      std::from_chars(target.port.data(), target.port.data() + target.port.size(), port_number);
  if (parse_error != std::errc() || end != target.port.data() + target.port.size() ||
      port_number == 0 || port_number > 65535) {
    return unavailable("URL port out of range");
  }
  target.host_header = std::string(url->encoded_host_and_port());
  target.path = std::string(url->encoded_path());
  if (target.path.empty()) target.path = "/";
  if (url->has_query()) target.path += "?" + std::string(url->encoded_query());
  return target;
}

bool ascii_iequals(std::string_view a, std::string_view b) {
  return std::equal(a.begin(), a.end(), b.begin(), b.end(),
                    [](char x, char y) { return (x | 0x20) == (y | 0x20); });
}

// RFC 9110 token characters; and not a header the client writes itself, since a second
// Host or Content-Length makes a request that proxies and servers read differently.
bool header_name_valid(std::string_view name) {
  constexpr std::string_view kSymbols = "!#$%&'*+-.^_`|~";
  const bool token = !name.empty() && std::all_of(name.begin(), name.end(), [&](char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
           kSymbols.find(c) != std::string_view::npos;
  });
  constexpr std::string_view kWrittenByClient[] = {"host", "user-agent", "connection",
                                                   "content-length", "transfer-encoding"};
  return token && std::none_of(std::begin(kWrittenByClient), std::end(kWrittenByClient),
                               [&](std::string_view taken) { return ascii_iequals(name, taken); });
}

// A line break or NUL in a value (a key read from a file with its newline) would forge
// further headers or split the request.
bool header_value_valid(std::string_view value) {
  return value.find_first_of(std::string_view("\r\n\0", 3)) == std::string_view::npos;
}

// getaddrinfo cannot be cancelled, and with a silent name server it blocks for many
// seconds: longer than any deadline of ours. Names are therefore looked up on a thread
// of their own, and the call stops waiting at the deadline; the thread ends by itself
// when the lookup returns (so a caller leaves at most one behind per deadline, however
// long the outage). Addresses are converted in place, with no thread.
Result<tcp::resolver::results_type> resolve(const Target& target, Clock::time_point deadline) {
  using Lookup = std::pair<boost::system::error_code, tcp::resolver::results_type>;
  auto lookup = [host = target.host, port = target.port, ip_literal = target.ip_literal] {
    asio::io_context io;
    tcp::resolver resolver(io);
    auto flags = tcp::resolver::numeric_service;
    if (ip_literal) flags |= tcp::resolver::numeric_host;
    Lookup out;
    out.second = resolver.resolve(host, port, flags, out.first);
    return out;
  };
  Lookup found;
  if (target.ip_literal) {
    found = lookup();
  } else {
    std::packaged_task<Lookup()> task(std::move(lookup));
    auto future = task.get_future();
    std::thread(std::move(task)).detach();
    if (future.wait_until(deadline) != std::future_status::ready)
      return unavailable("resolve: deadline passed");
    found = future.get();
  }
  if (found.first) return unavailable("resolve: " + found.first.message());
  return std::move(found.second);
}

// The IPv4 ranges of TargetAddresses that are not public, as (network, prefix length).
constexpr std::array<std::pair<std::uint32_t, int>, 10> kNonPublicV4{{
    {0x00000000, 8},   // "this network", 0.0.0.0
    {0x0A000000, 8},   // RFC 1918
    {0x64400000, 10},  // RFC 6598 shared address space (CGNAT)
    {0x7F000000, 8},   // loopback
    {0xA9FE0000, 16},  // link-local, the cloud metadata service
    {0xAC100000, 12},  // RFC 1918
    {0xC0A80000, 16},  // RFC 1918
    {0xE0000000, 4},   // multicast
    {0xF0000000, 4},   // reserved, broadcast
    {0xC0000000, 24},  // IETF protocol assignments
}};

bool is_public_address(const asio::ip::address& address) {
  if (address.is_v4()) {
    const std::uint32_t bits = address.to_v4().to_uint();
    return std::none_of(kNonPublicV4.begin(), kNonPublicV4.end(), [bits](const auto& range) {
      const std::uint32_t mask = ~std::uint32_t{0} << (32 - range.second);
      return (bits & mask) == range.first;
    });
  }
  const auto v6 = address.to_v6();
  if (v6.is_v4_mapped())
    return is_public_address(asio::ip::make_address_v4(asio::ip::v4_mapped, v6));
  const auto bytes = v6.to_bytes();
  const bool unique_local = (bytes[0] & 0xFE) == 0xFC;                    // fc00::/7
  const bool link_local = bytes[0] == 0xFE && (bytes[1] & 0xC0) == 0x80;  // fe80::/10
  return !(v6.is_unspecified() || v6.is_loopback() || v6.is_multicast() || unique_local ||
           link_local);
}

bool all_public(const tcp::resolver::results_type& endpoints) {
  return std::all_of(endpoints.begin(), endpoints.end(), [](const auto& entry) {
    return is_public_address(entry.endpoint().address());
  });
}

struct Done {
  boost::system::error_code error = asio::error::operation_aborted;  // if it never completed
  std::size_t bytes = 0;                                             // for reads and writes
};

// Starts one asynchronous operation and runs `io` on this thread until it completes.
template <class Start>
Done run(asio::io_context& io, Start&& start) {
  Done done;
  std::forward<Start>(start)([&done](boost::system::error_code ec, auto... more) {
    done.error = ec;
    if constexpr (sizeof...(more) == 1 && (std::is_same_v<decltype(more), std::size_t> && ...)) {
      done.bytes = (more, ...);
    }
  });
  io.restart();
  io.run();
  return done;
}

// Set up once and shared: loading the system's certificate store costs milliseconds,
// and an SSL_CTX is safe to share between threads once configured. A failure throws
// (caught in http_call), and the next call tries again.
asio::ssl::context& tls_context() {
  static asio::ssl::context context = [] {
    asio::ssl::context made(asio::ssl::context::tls_client);
    // TLS 1.2 is the oldest version still considered safe.
    made.set_options(asio::ssl::context::default_workarounds | asio::ssl::context::no_sslv2 |
                     asio::ssl::context::no_sslv3 | asio::ssl::context::no_tlsv1 |
                     asio::ssl::context::no_tlsv1_1);
    made.set_default_verify_paths();
    made.set_verify_mode(asio::ssl::verify_peer);
    return made;
  }();
  return context;
}

// "METHOD target HTTP/1.1" and the headers, written out by hand: writing needs no
// parser, and Beast's serializer would be instantiated once per stream type.
std::string request_bytes(const HttpCall& call, const Target& target) {
  std::string out = call.method + " " + target.path + " HTTP/1.1\r\nHost: " + target.host_header +
                    "\r\nUser-Agent: essc\r\nConnection: close\r\n";
  // RFC 9110 §8.6: no Content-Length on a GET or HEAD without content; an empty POST
  // says 0, since some servers answer 411 to a POST without it.
  if (!call.body.empty() || (call.method != "GET" && call.method != "HEAD")) {
    out += "Content-Length: " + std::to_string(call.body.size()) + "\r\n";
  }
  for (const auto& [name, value] : call.headers)
    out.append(name).append(": ").append(value).append("\r\n");
  out += "\r\n";
  out += call.body;
  return out;
}

// Reads one answer through `read_some` (one read of the connection: bytes read, or an
// error at the deadline, at the end of the stream, …). Not a template, so the parser is
// compiled once for plain and TLS connections alike.
using ReadSome = std::function<std::size_t(asio::mutable_buffer, boost::system::error_code&)>;
Result<HttpReply> read_reply(const ReadSome& read_some) {
  // Reads of this size keep the buffer small while the body streams into the parser.
  constexpr std::size_t kReadChunkBytes = std::size_t{16} * 1024;
  http::response_parser<http::string_body> parser;
  parser.body_limit(limits::kExternalReplyBodyBytesMax);
  parser.eager(true);
  beast::flat_buffer buffer;
  while (!parser.is_done()) {
    boost::system::error_code ec;
    buffer.commit(read_some(buffer.prepare(kReadChunkBytes), ec));
    // A peer that closes without a TLS close_notify ends the stream all the same.
    const bool ended = ec == asio::error::eof || ec == asio::ssl::error::stream_truncated;
    if (ec && !ended) return unavailable("read: " + ec.message());
    while (buffer.size() > 0 && !parser.is_done()) {
      boost::system::error_code parse_error;
      const auto used = parser.put(buffer.data(), parse_error);
      buffer.consume(used);
      if (parse_error == http::error::need_more) break;
      if (parse_error) return unavailable("malformed reply: " + parse_error.message());
    }
    if (ended && !parser.is_done()) {
      // put_eof on a parser that saw no byte would complete an empty "200 OK" (it
      // asserts in debug builds): a silent close must never read as success.
      if (!parser.got_some()) return unavailable("read: the peer closed without answering");
      boost::system::error_code parse_error;
      parser.put_eof(parse_error);
      if (parse_error || !parser.is_done())
        return unavailable("read: the peer closed before the end of the reply");
    }
  }
  return HttpReply{static_cast<int>(parser.get().result_int()), std::move(parser.get().body())};
}

// Connects `stream` (a tcp_stream, or an ssl_stream over one), shakes hands when it is
// TLS, writes the request and reads the answer, all before the deadline already set on
// the stream.
template <class Stream>
Result<HttpReply> exchange(asio::io_context& io, Stream& stream,
                           const tcp::resolver::results_type& endpoints,
                           const std::string& request) {
  auto& tcp_stream = beast::get_lowest_layer(stream);
  const auto connected =
      run(io, [&](auto handler) { tcp_stream.async_connect(endpoints, std::move(handler)); });
  if (connected.error) return unavailable("connect: " + connected.error.message());
  if constexpr (!std::is_same_v<Stream, beast::tcp_stream>) {
    const auto shaken = run(io, [&](auto handler) {
      stream.async_handshake(asio::ssl::stream_base::client, std::move(handler));
    });
    if (shaken.error) return unavailable("TLS handshake: " + shaken.error.message());
  }
  const auto written = run(io, [&](auto handler) {
    asio::async_write(stream, asio::buffer(request), std::move(handler));
  });
  if (written.error) return unavailable("write: " + written.error.message());
  // The connection is simply closed afterwards: the answer was complete, so a TLS
  // close_notify would only cost another round trip.
  return read_reply([&](asio::mutable_buffer space, boost::system::error_code& ec) {
    const auto read =
        run(io, [&](auto handler) { stream.async_read_some(space, std::move(handler)); });
    ec = read.error;
    return read.bytes;
  });
}

Result<HttpReply> call_or_throw(const HttpCall& call) {
  const auto timeout_ms =
      std::clamp<std::int64_t>(call.timeout_ms, 0, limits::kExternalCallTimeoutMsMax);
  const auto deadline = Clock::now() + std::chrono::milliseconds(timeout_ms);
  ESSC_ASSIGN_OR_RETURN(const auto target, parse_target(call.url));
  if (call.method.empty() || !std::all_of(call.method.begin(), call.method.end(),
                                          [](char c) { return c >= 'A' && c <= 'Z'; })) {
    return unavailable("invalid method");
  }
  for (const auto& [name, value] : call.headers) {
    if (!header_name_valid(name) || !header_value_valid(value))
      return unavailable("invalid header");
  }
  const auto request = request_bytes(call, target);

  ESSC_ASSIGN_OR_RETURN(const auto endpoints, resolve(target, deadline));
  if (call.public_addresses_only && !all_public(endpoints))
    return unavailable("target address not public");
  asio::io_context io(1);
  if (!target.tls) {
    beast::tcp_stream stream(io);
    stream.expires_at(deadline);  // covers every operation that follows
    return exchange(io, stream, endpoints, request);
  }
  beast::ssl_stream<beast::tcp_stream> stream(io, tls_context());
  beast::get_lowest_layer(stream).expires_at(deadline);
  if (!target.ip_literal &&
      !SSL_set_tlsext_host_name(stream.native_handle(), target.host.c_str())) {
    return unavailable("TLS: cannot set the server name");
  }
  stream.set_verify_callback(asio::ssl::host_name_verification(target.host));
  return exchange(io, stream, endpoints, request);
}

}  // namespace

TargetAddresses classify_target(const std::string& url, std::int64_t timeout_ms) {
  try {
    const auto target = parse_target(url);
    if (!target) return TargetAddresses::kMalformed;
    const auto deadline = Clock::now() + std::chrono::milliseconds(std::clamp<std::int64_t>(
                                             timeout_ms, 0, limits::kExternalCallTimeoutMsMax));
    const auto endpoints = resolve(*target, deadline);
    if (!endpoints || endpoints->empty()) return TargetAddresses::kUnresolved;
    return all_public(*endpoints) ? TargetAddresses::kPublic : TargetAddresses::kPrivate;
  } catch (const std::exception&) {
    return TargetAddresses::kUnresolved;
  }
}

Result<HttpReply> http_call(const HttpCall& call) {
  try {
    return call_or_throw(call);
  } catch (const std::exception& e) {
    return unavailable(std::string("unexpected failure: ") + e.what());
  }
}

}  // namespace essc::adapters
