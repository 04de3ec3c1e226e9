// A small blocking HTTP/1.1 client for calls to external services (face, SMS, bank) and
// webhooks to channels. One connection per call ("Connection: close"); a single deadline
// of timeout_ms covers resolving the name, connecting, the TLS handshake, writing and
// reading. https:// verifies the peer's certificate against the system's store and its
// host name (SNI sent for names). A reply body over limits::kExternalReplyBodyBytesMax is
// refused. Any failure (bad URL, DNS, refused, timeout, TLS, malformed or oversized reply)
// is UNAVAILABLE with an internal detail that never holds the URL or a header value;
// http_call never throws. Any status the peer answers, 500 included, is a reply: the
// caller decides what it means.
//
// The client writes Host, User-Agent, Connection and Content-Length itself; a call that
// sets one of those or Transfer-Encoding, a header name that is not a token, a value
// with a line break, or a method that is not an upper-case token, fails with
// UNAVAILABLE rather than sending an ambiguous request.
//
// Thread safety: http_call may run on any number of threads at once. It blocks the
// calling thread, so it must not run on an I/O thread of the server.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "common/result.hpp"

namespace essc::adapters {

struct HttpCall {
  std::string method = "POST";
  std::string url;  // http:// or https://, host[:port], path and query
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  std::int64_t timeout_ms = 5000;  // clamped to [0, limits::kExternalCallTimeoutMsMax]
  // Refuse (UNAVAILABLE) a host that resolves to any address is_public_address() refuses:
  // a webhook must not reach the platform's own machine or network (the cloud metadata
  // service at 169.254.169.254), even when a name resolves there only after it was
  // registered.
  bool public_addresses_only = false;
};

struct HttpReply {
  int status = 0;
  std::string body;
};

Result<HttpReply> http_call(const HttpCall& call);

enum class TargetAddresses {
  kPublic,      // every address the host stands for is public
  kPrivate,     // at least one is loopback, link-local, private, shared or unspecified
  kUnresolved,  // a name that does not resolve now (it may later: http_call checks again)
  kMalformed,   // not an http(s) URL with a host
};
// Where a URL's host leads: an address literal in any form the resolver accepts
// ("127.1", "0x7f000001", "[::ffff:127.0.0.1]") or a name, resolved within timeout_ms.
// Not public: 0/8, 10/8, 100.64/10 (CGNAT), 127/8, 169.254/16, 172.16/12, 192.168/16,
// multicast and broadcast; ::, ::1, fc00::/7, fe80::/10, multicast, and IPv4-mapped
// forms of the IPv4 ones.
TargetAddresses classify_target(const std::string& url, std::int64_t timeout_ms);

}  // namespace essc::adapters
