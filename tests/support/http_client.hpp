// A small blocking HTTP/1.1 client over POSIX sockets for tests against the real server
// on a loopback port. One connection per request (Connection: close) keeps it simple;
// the server's keep-alive is tested on its own.
#pragma once

#include <boost/json/value.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace essc::testing {

struct HttpAnswer {
  int status = 0;
  std::vector<std::pair<std::string, std::string>> headers;  // names lower-cased
  std::string body;

  std::optional<std::string> header(const std::string& lower_name) const;
  boost::json::value json() const;  // the body parsed; null when not JSON
  std::string error_code() const;   // error.code of an error body, else ""
};

using Headers = std::vector<std::pair<std::string, std::string>>;

// Sends raw bytes and reads until the server closes (for malformed-request tests).
std::string send_raw(std::uint16_t port, const std::string& bytes);

HttpAnswer http_request(std::uint16_t port, const std::string& method, const std::string& target,
                        const std::string& body = {}, const Headers& headers = {});

}  // namespace essc::testing
