// The platform's own view of an HTTP exchange. Only the server (server.cpp, server/)
// knows Boost.Beast; the router, authentication and handlers see these plain structs,
// which keeps the heavy headers out of them and lets tests build requests directly.
#pragma once

#include <algorithm>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace essc::http {

struct Request {
  std::string method;  // "GET", "POST", …
  std::string target;  // path and query as received, e.g. "/v1/audit?limit=5"
  std::vector<std::pair<std::string, std::string>> headers;  // names lower-cased
  std::string body;
  std::string request_id;    // set by the server before handling
  std::string peer_address;  // the connection's remote IP address, set by the server

  // The first header with this lower-case name.
  std::optional<std::string_view> header(std::string_view lower_name) const {
    for (const auto& [name, value] : headers) {
      if (name == lower_name) return value;
    }
    return std::nullopt;
  }
};

struct Response {
  int status = 200;
  std::string content_type = "application/json";
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
};

}  // namespace essc::http
