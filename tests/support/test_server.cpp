#include "support/test_server.hpp"

#include "crypto/random.hpp"
#include "crypto/request_signature.hpp"
#include "store/operator_repository.hpp"

namespace essc::testing {

std::unique_ptr<http::Server> start_loopback_server(http::Handler handler,
                                                    http::Placement placement) {
  http::ServerOptions options;
  options.host = "127.0.0.1";
  options.port = 0;
  options.io_threads = 1;
  options.worker_threads = 4;
  auto server = std::make_unique<http::Server>(options, std::move(handler), std::move(placement));
  server->start();
  return server;
}

TestServer::TestServer() {
  api_ = std::make_unique<http::Api>(platform_.platform());
  // Routes run where the server would run them: the short reads on the I/O thread.
  server_ = start_loopback_server([this](http::Request& r) { return api_->handle(r); },
                                  [this](const http::Request& r) { return api_->runs_inline(r); });
}

TestServer::~TestServer() { server_->stop(); }

HttpAnswer TestServer::call(const std::string& method, const std::string& target,
                            const std::string& body, const Headers& headers) {
  return http_request(port(), method, target, body, headers);
}

HttpAnswer TestServer::as(const std::string& token, const std::string& method,
                          const std::string& target, const std::string& body) {
  return call(method, target, body, {{"Authorization", "Bearer " + token}});
}

std::string TestServer::login_as(domain::OperatorRole role, std::optional<std::string> bank_code) {
  const std::string username =
      std::string(domain::to_string(role)) + std::to_string(++operators_made_);
  platform_.make_operator(username, role, std::move(bank_code));
  const auto answer =
      call("POST", "/v1/operator/sessions",
           R"({"username":")" + username + R"(","password":")" + kOperatorPassword + R"("})");
  if (answer.status != 200) throw std::runtime_error("login failed: " + answer.body);
  return std::string(answer.json().at("token").as_string());
}

HttpAnswer TestServer::signed_call(const std::string& client_id, const std::string& secret,
                                   const std::string& method, const std::string& target,
                                   const std::string& body, std::optional<std::int64_t> timestamp,
                                   std::optional<std::string> nonce) {
  const std::string ts = std::to_string(timestamp.value_or(platform_.clock().now_seconds()));
  const std::string n = nonce.value_or(crypto::random_token(16));
  const auto canonical = crypto::canonical_request(method, target, ts, n, body);
  return call(method, target, body,
              {{"X-Essc-Client", client_id},
               {"X-Essc-Timestamp", ts},
               {"X-Essc-Nonce", n},
               {"X-Essc-Signature", crypto::sign_request(secret, canonical)}});
}

}  // namespace essc::testing
