#include "http/demo_backend.hpp"

#include <array>

#include "common/assert.hpp"
#include "crypto/random.hpp"
#include "crypto/request_signature.hpp"
#include "http/json.hpp"

namespace essc::http {
namespace {

// What a browser may hand on to the platform; the signing headers are the backend's own.
// The host and scheme name the public address a certificate's QR code points under.
constexpr std::array<std::string_view, 5> kPassedHeaders = {
    "content-type", "x-essc-session", "idempotency-key", "host", "x-forwarded-proto"};

}  // namespace

DemoBackend::DemoBackend(Api& api, const Clock& clock, std::vector<DemoClient> clients)
    : api_(api), clock_(clock), clients_(std::move(clients)) {}

Response DemoBackend::handle(Request& request) {
  ESSC_INVARIANT(serves(request.target));
  const std::string_view rest = std::string_view(request.target).substr(kPrefix.size());
  if (rest == "clients" && request.method == "GET") {
    boost::json::array items;
    for (const auto& c : clients_) {
      items.push_back(boost::json::object{
          {"key", c.key}, {"name", c.name}, {"kind", c.kind}, {"type", c.type}});
    }
    return json_response(
        200, boost::json::object{{"items", std::move(items)}, {"next_cursor", nullptr}});
  }
  const auto slash = rest.find('/');
  const auto key = rest.substr(0, slash);
  const DemoClient* client = nullptr;
  for (const auto& c : clients_) {
    if (c.key == key) client = &c;
  }
  if (!client || slash == std::string_view::npos || !rest.substr(slash).starts_with("/v1/")) {
    return error_response(Error(ErrorCode::kNotFound, "no such demo client route"),
                          request.request_id);
  }

  Request inner;
  inner.method = request.method;
  inner.target = std::string(rest.substr(slash));
  inner.body = std::move(request.body);
  inner.request_id = request.request_id;
  inner.peer_address = request.peer_address;
  for (const auto name : kPassedHeaders) {
    if (const auto value = request.header(name)) inner.headers.emplace_back(name, *value);
  }
  const auto timestamp = std::to_string(clock_.now_seconds());
  const auto nonce = crypto::random_token(24);
  const auto canonical =
      crypto::canonical_request(inner.method, inner.target, timestamp, nonce, inner.body);
  inner.headers.emplace_back("x-essc-client", client->client_id);
  inner.headers.emplace_back("x-essc-timestamp", timestamp);
  inner.headers.emplace_back("x-essc-nonce", nonce);
  inner.headers.emplace_back("x-essc-signature",
                             crypto::sign_request(client->client_secret, canonical));
  return api_.handle(inner);
}

}  // namespace essc::http
