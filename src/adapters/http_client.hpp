// A small blocking HTTP/1.1 client for calls to external services (face, SMS, bank) and
// webhooks to channels. One connection per call; a single deadline covers resolving,
// connecting, the TLS handshake, writing and reading. Any failure is UNAVAILABLE with an
// internal detail (never secrets); it never throws.
//
// Thread safety: http_call may run on any number of threads at once.
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
  std::int64_t timeout_ms = 5000;
};

struct HttpReply {
  int status = 0;
  std::string body;
};

Result<HttpReply> http_call(const HttpCall& call);

}  // namespace essc::adapters
