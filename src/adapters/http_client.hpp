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
};

struct HttpReply {
  int status = 0;
  std::string body;
};

Result<HttpReply> http_call(const HttpCall& call);

}  // namespace essc::adapters
