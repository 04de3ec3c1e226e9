// The real server (Api + Beast) over a TestPlatform on 127.0.0.1 and a free port, with
// helpers to log in as operators and to sign requests as a client would.
#pragma once

#include <memory>

#include "domain/operator.hpp"
#include "http/api.hpp"
#include "http/server.hpp"
#include "support/http_client.hpp"
#include "support/test_platform.hpp"

namespace essc::testing {

// A server on 127.0.0.1 and a free port, already started, for a test's own handler.
std::unique_ptr<http::Server> start_loopback_server(http::Handler handler,
                                                    http::Placement placement = {});

class TestServer {
 public:
  TestServer();
  ~TestServer();

  std::uint16_t port() const { return server_->port(); }
  TestPlatform& platform() { return platform_; }
  const http::Api& api() const { return *api_; }

  HttpAnswer call(const std::string& method, const std::string& target,
                  const std::string& body = {}, const Headers& headers = {});
  // As an operator holding `token`.
  HttpAnswer as(const std::string& token, const std::string& method, const std::string& target,
                const std::string& body = {});
  // A token for a fresh operator of this role, logged in over HTTP.
  std::string login_as(domain::OperatorRole role,
                       std::optional<std::string> bank_code = std::nullopt);

  // Signs exactly as API.md says, with the given timestamp and nonce (fresh by default).
  HttpAnswer signed_call(const std::string& client_id, const std::string& secret,
                         const std::string& method, const std::string& target,
                         const std::string& body = {},
                         std::optional<std::int64_t> timestamp = std::nullopt,
                         std::optional<std::string> nonce = std::nullopt);

 private:
  TestPlatform platform_;
  std::unique_ptr<http::Api> api_;
  std::unique_ptr<http::Server> server_;
  int operators_made_ = 0;
};

}  // namespace essc::testing
