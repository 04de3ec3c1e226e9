// Channels and institutions: registration by an administrator, suspension, secret
// rotation, and the signature check every client call passes first (R-S2).
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/clock.hpp"
#include "crypto/pii_vault.hpp"
#include "domain/client.hpp"
#include "services/context.hpp"
#include "services/refusal_log.hpp"
#include "store/client_repository.hpp"
#include "store/database.hpp"
#include "store/request_nonces.hpp"

namespace essc::services {

struct NewClient {
  std::string kind;
  std::string name;
  std::optional<std::string> channel_type;
  std::optional<std::string> institution_type;
  std::optional<std::string> region_code;
  std::optional<std::string> webhook_url;
  std::optional<std::int64_t> requests_per_minute =
      std::nullopt;                           // R-S4; absent: the default quota
  std::optional<bool> qr_png = std::nullopt;  // absent: codes come with their image, as always
};

// What an administrator may change of a registered client; absent fields stay.
struct ClientChanges {
  std::optional<std::string> name;
  std::optional<std::string> webhook_url;
  std::optional<std::int64_t> requests_per_minute;
  std::optional<bool> qr_png = std::nullopt;
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

// A client whose request's nonce is claimed but not yet answered (authenticate_overlapped()).
struct OverlappedAuthentication {
  domain::Client client;
  // The claim's answer: the client's record as it stands, or NONCE_REUSED or
  // RATE_LIMITED (with retry_after), or the refusal of a remembered record that no longer
  // stands. Called before the request is answered; again only after it threw (a shared
  // read run again, Database::read_shared).
  std::function<Result<domain::Client>()> settle;
};

class ClientService {
 public:
  ClientService(const Clock& clock, store::Database& db, store::RequestNonces& nonces,
                const crypto::PiiVault& vault, const store::ClientCache& clients,
                RefusalLog& refusals)
      : clock_(clock),
        db_(db),
        nonces_(nonces),
        vault_(vault),
        clients_(clients),
        refusals_(refusals) {}

  // Webhooks go only to public addresses (API.md "Webhooks"): a URL whose host is, or
  // resolves to, a loopback, link-local or private address is refused, field
  // webhook_url. Sandbox mode and `[webhooks] allow_private_targets` allow them, for
  // receivers on this machine. REQUIRES: called before the service is shared.
  void allow_private_webhook_targets(bool allowed) { private_webhook_targets_allowed_ = allowed; }
  bool private_webhook_targets_allowed() const { return private_webhook_targets_allowed_; }

  // The record with its secrets in clear: shown to the administrator once.
  Result<domain::Client> add(const Actor& actor, const NewClient& request);
  // The client with the changes applied (its secrets are not shown again).
  Result<domain::Client> update(const Actor& actor, std::string_view client_id,
                                const ClientChanges& changes);
  Result<domain::Client> set_suspended(const Actor& actor, std::string_view client_id,
                                       bool suspended);
  Result<domain::Client> rotate_secret(const Actor& actor, std::string_view client_id);

  // The client that signed the request. Checked in this order: headers present
  // (UNAUTHENTICATED), timestamp within the window (SIGNATURE_EXPIRED), client known
  // and signature valid (UNAUTHENTICATED), client not suspended (CLIENT_SUSPENDED),
  // nonce unused (NONCE_REUSED), within its own quota a minute (RATE_LIMITED with
  // retry_after, R-S4).
  // The nonce is claimed only for a valid signature, so a forger cannot burn a client's
  // nonces (valid under the record this server last read: a request signed with a secret
  // replaced since may have its nonce claimed before it is refused, as when it raced
  // the rotation). Failures are counted in the RefusalLog, which audits them a minute at a
  // time, so a flood cannot turn into a flood of durable writes.
  Result<domain::Client> authenticate(const SignedRequest& request);
  // As authenticate(), with the last checks in `settle`: the nonce's claim is sent and
  // its answer read when the caller settles, so that a request which changes nothing (a
  // short read) runs its reads while the claim travels and settles before it answers; a
  // replay's or an over-quota request's answer is then thrown away. On PostgreSQL this
  // saves the claim's round trip; on SQLite the claim is answered at once.
  // A client whose record this server has read before is checked against that record at
  // once, and whether it still stands (a new secret, a suspension) is read in the
  // caller's snapshot with the request's first read and checked in `settle`: a signed
  // status read is one round trip. Until then `client` is as remembered: the caller may
  // use only what never changes of it (its id and kind) before settling.
  // REQUIRES: called inside a shared read (Database::read_shared) whose reads follow.
  Result<OverlappedAuthentication> authenticate_overlapped(const SignedRequest& request);

  // The names of the channels and institutions among `audit_names` (Actor::audit_name),
  // by audit name, so that a reader of the log sees 宁波银行APP rather than a client id.
  std::map<std::string, std::string> names_of_actors(
      const std::vector<std::string_view>& audit_names) const;

 private:
  // A valid signature's client, its nonce's claim sent, and when.
  struct SentClaim {
    domain::Client client;
    store::RequestNonces::PendingCount counted;
    std::int64_t now_ms = 0;
    bool confirmed = false;  // `client` read in the caller's snapshot, not as remembered
  };
  // The signature headers present and well formed, and the timestamp within the window:
  // the signing time (seconds).
  Result<std::int64_t> check_headers(const SignedRequest& r) const;
  // `reads_follow`: the caller's shared read will read more, so that the record's
  // confirmation can go with those reads. `known_client_id`: set once the request names a
  // client the platform knows.
  Result<SentClaim> check_signature(const SignedRequest& request, bool reads_follow,
                                    std::string& known_client_id);
  SentClaim send_claim(domain::Client client, const SignedRequest& r, std::int64_t timestamp,
                       bool confirmed);
  // The remembered record, still the client's in the caller's snapshot; or the refusal
  // its new secret or suspension means.
  Status confirm(SentClaim& claim);
  // confirm(), then the claim's answer.
  Status settle(SentClaim& claim);
  // Counts the refusal (RefusalLog) and answers it.
  Error refused(std::string_view client_id, Error error);
  static Status within_quota(const SentClaim& claim);
  Status validate_webhook_url(const std::string& url) const;
  const Clock& clock_;
  store::Database& db_;
  store::RequestNonces& nonces_;
  const crypto::PiiVault& vault_;
  const store::ClientCache& clients_;
  RefusalLog& refusals_;
  bool private_webhook_targets_allowed_ = false;
};

}  // namespace essc::services
