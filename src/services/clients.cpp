#include "services/clients.hpp"

#include <memory>

#include "adapters/http_client.hpp"
#include "common/limits.hpp"
#include "crypto/random.hpp"
#include "crypto/request_signature.hpp"
#include "domain/region_code.hpp"
#include "store/audit_log.hpp"

namespace essc::services {
namespace {

bool valid_name(const std::string& name) {
  return !name.empty() && name.size() <= limits::kTextBytesMax;
}

bool valid_quota(std::int64_t requests_per_minute) {
  return requests_per_minute >= 1 && requests_per_minute <= limits::kClientRequestsPerMinuteMax;
}

// The request as a client, its types parsed: a channel has a channel type and no
// institution type, an institution the reverse and no webhook.
Result<domain::Client> parse(const NewClient& r) {
  domain::Client client;
  const auto kind = domain::parse_client_kind(r.kind);
  if (!kind) return Error::invalid_field("kind");
  client.kind = *kind;
  if (!valid_name(r.name)) return Error::invalid_field("name");
  if (r.requests_per_minute && !valid_quota(*r.requests_per_minute))
    return Error::invalid_field("requests_per_minute");
  const bool channel = *kind == domain::ClientKind::kChannel;
  if (r.channel_type) client.channel_type = domain::parse_channel_type(*r.channel_type);
  if (r.institution_type)
    client.institution_type = domain::parse_institution_type(*r.institution_type);
  if (channel ? !client.channel_type : r.channel_type.has_value())
    return Error::invalid_field("channel_type");
  if (channel ? r.institution_type.has_value() : !client.institution_type) {
    return Error::invalid_field("institution_type");
  }
  if (!channel && r.webhook_url) return Error::invalid_field("webhook_url");
  if (r.region_code) ESSC_TRY(domain::parse_region_code(*r.region_code));
  client.name = r.name;
  client.region_code = r.region_code;
  client.webhook_url = r.webhook_url;
  client.requests_per_minute =
      r.requests_per_minute.value_or(limits::kClientRequestsPerMinuteDefault);
  return client;
}

// Client ids are ours ("ch_…", "in_…"): short and of a safe alphabet, so one that is
// not can be refused before any lookup and never reaches the audit log verbatim.
bool well_formed_client_id(std::string_view id) {
  if (id.size() < 4 || id.size() > limits::kIdCharsMax) return false;
  for (char ch : id) {
    const bool ok = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
                    (ch >= '0' && ch <= '9') || ch == '_' || ch == '-';
    if (!ok) return false;
  }
  return true;
}

// Whether `client` signed the request and may call.
Status signed_by(const domain::Client& client, const SignedRequest& r) {
  const auto canonical =
      crypto::canonical_request(r.method, r.path_and_query, *r.timestamp, *r.nonce, r.body);
  if (!crypto::signature_matches(client.secret, canonical, *r.signature)) {
    return Error(ErrorCode::kUnauthenticated, "signature mismatch");
  }
  if (client.suspended) return Error(ErrorCode::kClientSuspended);
  return {};
}

}  // namespace

Status ClientService::validate_webhook_url(const std::string& url) const {
  const bool scheme_ok = url.starts_with("https://") || url.starts_with("http://");
  if (!scheme_ok || url.size() > limits::kUrlBytesMax ||
      url.find_first_of(" \r\n\t") != std::string::npos) {
    return Error::invalid_field("webhook_url");
  }
  const auto where = adapters::classify_target(url, limits::kWebhookTimeoutMs);
  if (where == adapters::TargetAddresses::kMalformed)
    return Error::invalid_field("webhook_url", "malformed URL");
  if (where == adapters::TargetAddresses::kPrivate && !private_webhook_targets_allowed_) {
    return Error::invalid_field("webhook_url", "webhook target not a public address");
  }
  return {};
}

Result<domain::Client> ClientService::add(const Actor& actor, const NewClient& request) {
  ESSC_ASSIGN_OR_RETURN(auto client, parse(request));
  if (request.webhook_url) ESSC_TRY(validate_webhook_url(*request.webhook_url));
  const auto now = clock_.now_ms();
  client.client_id =
      (client.kind == domain::ClientKind::kChannel ? "ch_" : "in_") + crypto::random_token(12);
  client.secret = crypto::random_token(32);
  if (client.kind == domain::ClientKind::kChannel) client.webhook_secret = crypto::random_token(32);
  client.created_at_ms = now;
  client.qr_png = request.qr_png.value_or(true);
  return db_.write<domain::Client>([&](store::Connection& c) -> Result<domain::Client> {
    store::insert_client(c, vault_, client);
    store::append_audit(c, now, actor.audit_name, "client.add", client.client_id, "ok");
    return client;
  });
}

Result<domain::Client> ClientService::update(const Actor& actor, std::string_view client_id,
                                             const ClientChanges& changes) {
  if (changes.name && !valid_name(*changes.name)) return Error::invalid_field("name");
  if (changes.requests_per_minute && !valid_quota(*changes.requests_per_minute)) {
    return Error::invalid_field("requests_per_minute");
  }
  if (changes.webhook_url) ESSC_TRY(validate_webhook_url(*changes.webhook_url));
  const auto now = clock_.now_ms();
  return db_.write<domain::Client>([&](store::Connection& c) -> Result<domain::Client> {
    auto client = clients_.find(c, client_id);
    if (!client) return Error(ErrorCode::kNotFound);
    // Institutions receive no webhooks (validate() refuses one at registration too).
    if (changes.webhook_url && client->kind != domain::ClientKind::kChannel)
      return Error::invalid_field("webhook_url");
    if (changes.name) client->name = *changes.name;
    if (changes.webhook_url) client->webhook_url = *changes.webhook_url;
    if (changes.requests_per_minute) client->requests_per_minute = *changes.requests_per_minute;
    if (changes.qr_png) client->qr_png = *changes.qr_png;
    store::update_client(c, *client);
    store::append_audit(c, now, actor.audit_name, "client.update", client->client_id, "ok");
    return std::move(*client);
  });
}

Result<domain::Client> ClientService::set_suspended(const Actor& actor, std::string_view client_id,
                                                    bool suspended) {
  const auto now = clock_.now_ms();
  return db_.write<domain::Client>([&](store::Connection& c) -> Result<domain::Client> {
    auto client = clients_.find(c, client_id);
    if (!client) return Error(ErrorCode::kNotFound);
    store::set_client_suspended(c, client_id, suspended);
    client->suspended = suspended;
    store::append_audit(c, now, actor.audit_name, suspended ? "client.suspend" : "client.resume",
                        client->client_id, "ok");
    return std::move(*client);
  });
}

Result<domain::Client> ClientService::rotate_secret(const Actor& actor,
                                                    std::string_view client_id) {
  const auto now = clock_.now_ms();
  const std::string secret = crypto::random_token(32);
  return db_.write<domain::Client>([&](store::Connection& c) -> Result<domain::Client> {
    auto client = clients_.find(c, client_id);
    if (!client) return Error(ErrorCode::kNotFound);
    store::set_client_secret(c, vault_, client_id, secret);
    client->secret = secret;
    store::append_audit(c, now, actor.audit_name, "client.rotate_secret", client->client_id, "ok");
    return std::move(*client);
  });
}

Result<std::int64_t> ClientService::check_headers(const SignedRequest& r) const {
  if (!r.client_id || !r.timestamp || !r.nonce || !r.signature) {
    return Error(ErrorCode::kUnauthenticated, "signature headers missing");
  }
  if (!well_formed_client_id(*r.client_id)) {
    return Error(ErrorCode::kUnauthenticated, "client id malformed");
  }
  if (!crypto::is_valid_nonce(*r.nonce))
    return Error(ErrorCode::kUnauthenticated, "nonce malformed");
  const auto timestamp = crypto::parse_timestamp(*r.timestamp);
  if (!timestamp) return Error(ErrorCode::kUnauthenticated, "timestamp malformed");
  const auto now_s = clock_.now_seconds();
  if (*timestamp < now_s - limits::kSignatureWindowSeconds ||
      *timestamp > now_s + limits::kSignatureWindowSeconds) {
    return Error(ErrorCode::kSignatureExpired);
  }
  // A timestamp whose nonces the store cannot vouch for (after a crash of the machine,
  // or on a folder no journal covered) may belong to a replay of an answered request.
  if (!nonces_.remembers(*timestamp)) {
    return Error(ErrorCode::kSignatureExpired, "signed when its nonce may have been forgotten");
  }
  return *timestamp;
}

Result<ClientService::SentClaim> ClientService::check_signature(const SignedRequest& r,
                                                                bool reads_follow,
                                                                std::string& known_client_id) {
  ESSC_ASSIGN_OR_RETURN(const auto timestamp, check_headers(r));
  // The record last read, if it accepts the request: the claim leaves at once, and whether
  // the record still stands is read with the reads that follow (confirm()).
  if (auto remembered = clients_.remembered(*r.client_id);
      remembered && signed_by(*remembered, r).ok()) {
    known_client_id = remembered->client_id;
    if (reads_follow) db_.read([&](store::Connection& c) { clients_.send_find_ahead(c); });
    return send_claim(std::move(*remembered), r, timestamp, /*confirmed=*/false);
  }
  auto client = db_.read([&](store::Connection& c) { return clients_.find(c, *r.client_id); });
  if (!client) return Error(ErrorCode::kUnauthenticated, "unknown client");
  known_client_id = client->client_id;
  ESSC_TRY(signed_by(*client, r));
  return send_claim(std::move(*client), r, timestamp, /*confirmed=*/true);
}

ClientService::SentClaim ClientService::send_claim(domain::Client client, const SignedRequest& r,
                                                   std::int64_t timestamp, bool confirmed) {
  // The nonce must outlive every timestamp that could still be accepted with it.
  const auto expires_at_ms = (timestamp + limits::kSignatureWindowSeconds + 1) * 1000;
  const auto now_ms = clock_.now_ms();
  auto counted =
      nonces_.send_claim_and_count(client.client_id, *r.nonce, now_ms, expires_at_ms,
                                   "client:" + client.client_id, limits::kClientRateWindowMs);
  return SentClaim{std::move(client), std::move(counted), now_ms, confirmed};
}

Status ClientService::confirm(SentClaim& claim) {
  if (claim.confirmed) return {};
  auto current =
      db_.read([&](store::Connection& c) { return clients_.find(c, claim.client.client_id); });
  // The request verified under the remembered secret; under another it would not.
  if (!current || current->secret != claim.client.secret)
    return Error(ErrorCode::kUnauthenticated, "signature mismatch");
  if (current->suspended) return Error(ErrorCode::kClientSuspended);
  claim.client = std::move(*current);
  claim.confirmed = true;
  return {};
}

Status ClientService::within_quota(const SentClaim& claim) {
  const auto counted = claim.counted();
  if (!counted) return Error(ErrorCode::kNonceReused);
  if (*counted > claim.client.requests_per_minute) {
    Error e(ErrorCode::kRateLimited, "rate limit exceeded");
    e.extras.retry_after = retry_after_seconds(limits::kClientRateWindowMs -
                                               claim.now_ms % limits::kClientRateWindowMs);
    return e;
  }
  return {};
}

Status ClientService::settle(SentClaim& claim) {
  ESSC_TRY(confirm(claim));
  return within_quota(claim);
}

Error ClientService::refused(std::string_view client_id, Error error) {
  refusals_.record(RefusalSource::kClient, client_id, error.code);
  return error;
}

Result<domain::Client> ClientService::authenticate(const SignedRequest& request) {
  std::string known_client_id;
  auto claim = check_signature(request, /*reads_follow=*/false, known_client_id);
  if (!claim) return refused(known_client_id, std::move(claim).error());
  if (auto status = settle(*claim); !status)
    return refused(known_client_id, std::move(status).error());
  return std::move(claim->client);
}

Result<OverlappedAuthentication> ClientService::authenticate_overlapped(
    const SignedRequest& request) {
  std::string known_client_id;
  auto claim = check_signature(request, /*reads_follow=*/true, known_client_id);
  if (!claim) return refused(known_client_id, std::move(claim).error());
  auto sent = std::make_shared<SentClaim>(std::move(*claim));
  auto settle_sent = [this, sent]() -> Result<domain::Client> {
    if (auto status = settle(*sent); !status)
      return refused(sent->client.client_id, std::move(status).error());
    return sent->client;
  };
  return OverlappedAuthentication{sent->client, std::move(settle_sent)};
}

std::map<std::string, std::string> ClientService::names_of_actors(
    const std::vector<std::string_view>& audit_names) const {
  std::map<std::string, std::string> names;
  db_.read([&](store::Connection& c) {
    for (const auto actor : audit_names) {
      if (!actor.starts_with(kClientAuditPrefix) || names.contains(std::string(actor))) continue;
      if (const auto client = clients_.find(c, actor.substr(kClientAuditPrefix.size())))
        names.emplace(actor, client->name);
    }
  });
  return names;
}

}  // namespace essc::services
