// Channels and institutions: registration by an administrator, suspension, secret
// rotation, and the signature check every client call passes first (R-S2).
#pragma once

#include <optional>
#include <string>

#include "common/limits.hpp"
#include "services/context.hpp"

namespace essc::services {

struct NewClient {
  std::string kind;
  std::string name;
  std::optional<std::string> channel_type;
  std::optional<std::string> institution_type;
  std::optional<std::string> region_code;
  std::optional<std::string> webhook_url;
};

// The signature headers of a request and what they sign (API.md "Authentication").
struct SignedRequest {
  std::optional<std::string> client_id;
  std::optional<std::string> timestamp;
  std::optional<std::string> nonce;
  std::optional<std::string> signature;
  std::string method;
  std::string path_and_query;
  std::string body;
};

class ClientService {
 public:
  explicit ClientService(Context& context,
                         std::int64_t requests_per_window_max = limits::kClientRequestsPerWindowMax)
      : ctx_(context), requests_per_window_max_(requests_per_window_max) {}

  // The record with its secrets in clear: shown to the administrator once.
  Result<store::ClientRecord> add(const Actor& actor, const NewClient& request);
  Result<store::ClientRecord> set_suspended(const Actor& actor, std::string_view client_id,
                                            bool suspended);
  Result<store::ClientRecord> rotate_secret(const Actor& actor, std::string_view client_id);

  // The client that signed the request. Checked in this order: headers present
  // (UNAUTHENTICATED), timestamp within the window (SIGNATURE_EXPIRED), client known
  // and signature valid (UNAUTHENTICATED), client not suspended (CLIENT_SUSPENDED),
  // nonce unused (NONCE_REUSED), within its rate (RATE_LIMITED with retry_after, R-S4).
  // The nonce is claimed only for a valid signature, so a forger cannot burn a client's
  // nonces. Failures are audited; of rate-limit refusals only the first in a window, so
  // a flood cannot turn into a flood of durable writes.
  Result<store::ClientRecord> authenticate(const SignedRequest& request);

 private:
  Result<store::ClientRecord> check_signature(const SignedRequest& request);
  Context& ctx_;
  std::int64_t requests_per_window_max_;
};

}  // namespace essc::services
