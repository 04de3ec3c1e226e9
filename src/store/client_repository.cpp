#include "store/client_repository.hpp"

#include "crypto/random.hpp"
#include "store/sealed_column.hpp"

namespace essc::store {
namespace {

// Far above any platform's client count: the bound only keeps a flood of made-up ids
// from growing the cache (unknown ids are never cached).
constexpr std::size_t kCachedClientsMax = 100'000;
constexpr char kGeneration[] = "SELECT generation FROM generations WHERE name = 'clients'";
constexpr char kChanged[] =
    "INSERT INTO generations (name, generation) VALUES ('clients', ?) "
    "ON CONFLICT (name) DO UPDATE SET generation = excluded.generation";

constexpr char kInsert[] =
    "INSERT INTO clients (client_id, kind, name, channel_type, institution_type, region_code, "
    "webhook_url, secret_sealed, webhook_secret_sealed, suspended, created_at_ms, "
    "requests_per_minute, qr_png) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
constexpr char kFind[] =
    "SELECT client_id, kind, name, channel_type, institution_type, region_code, webhook_url, "
    "secret_sealed, webhook_secret_sealed, suspended, created_at_ms, requests_per_minute, qr_png "
    "FROM clients "
    "WHERE client_id = ?";
constexpr char kSuspend[] = "UPDATE clients SET suspended = ? WHERE client_id = ?";
constexpr char kSetSecret[] = "UPDATE clients SET secret_sealed = ? WHERE client_id = ?";
constexpr char kUpdate[] =
    "UPDATE clients SET name = ?, webhook_url = ?, requests_per_minute = ?, qr_png = ? WHERE "
    "client_id = ?";

// The store spells the optional types as the API does; NULL where the kind has none.
template <typename Enum>
std::optional<std::string_view> spelled(const std::optional<Enum>& value) {
  if (!value) return std::nullopt;
  return domain::to_string(*value);
}

void changed(Connection& c) { c.prepare(kChanged).bind_all(crypto::random_token(12)).run(); }

domain::Client client_from_row(const crypto::PiiVault& vault, const Statement& s) {
  domain::Client client;
  client.client_id = s.text(0);
  client.kind = domain::parse_client_kind(s.text(1)).value();
  client.name = s.text(2);
  if (auto type = s.optional_text(3))
    client.channel_type = domain::parse_channel_type(*type).value();
  if (auto type = s.optional_text(4))
    client.institution_type = domain::parse_institution_type(*type).value();
  client.region_code = s.optional_text(5);
  client.webhook_url = s.optional_text(6);
  client.secret = vault.open("client_secret", s.blob(7)).value();
  if (auto sealed = s.optional_blob(8))
    client.webhook_secret = vault.open("webhook_secret", *sealed).value();
  client.suspended = s.int64(9) != 0;
  client.created_at_ms = s.int64(10);
  client.requests_per_minute = s.int64(11);
  client.qr_png = s.int64(12) != 0;
  return client;
}

}  // namespace

void insert_client(Connection& c, const crypto::PiiVault& vault, const domain::Client& client) {
  auto& s = c.prepare(kInsert);
  s.bind_all(client.client_id, domain::to_string(client.kind), client.name,
             spelled(client.channel_type), spelled(client.institution_type), client.region_code,
             client.webhook_url);
  s.bind_blob(8, vault.seal("client_secret", client.secret));
  bind_sealed(s, 9, vault, "webhook_secret", client.webhook_secret);
  s.bind(10, client.suspended)
      .bind(11, client.created_at_ms)
      .bind(12, client.requests_per_minute)
      .bind(13, client.qr_png)
      .run();
  changed(c);
}

std::optional<domain::Client> find_client(Connection& c, const crypto::PiiVault& vault,
                                          std::string_view client_id) {
  return c.prepare(kFind).bind_all(client_id).first(
      [&](const Statement& row) { return client_from_row(vault, row); });
}

void set_client_suspended(Connection& c, std::string_view client_id, bool suspended) {
  c.prepare(kSuspend).bind_all(suspended, client_id).run();
  changed(c);
}

void set_client_secret(Connection& c, const crypto::PiiVault& vault, std::string_view client_id,
                       std::string_view secret) {
  auto& s = c.prepare(kSetSecret);
  s.bind_blob(1, vault.seal("client_secret", secret)).bind(2, client_id).run();
  changed(c);
}

void update_client(Connection& c, const domain::Client& client) {
  c.prepare(kUpdate)
      .bind_all(client.name, client.webhook_url, client.requests_per_minute, client.qr_png,
                client.client_id)
      .run();
  changed(c);
}

std::optional<domain::Client> ClientCache::find(Connection& c, std::string_view client_id) const {
  auto generation =
      c.prepare(kGeneration).first([](const Statement& row) { return row.text(0); }).value_or("");
  const std::string key(client_id);
  {
    std::lock_guard lock(mutex_);
    if (auto it = cached_.find(key); it != cached_.end() && it->second.generation == generation) {
      return it->second.client;
    }
  }
  auto client = find_client(c, vault_, client_id);
  if (!client) return client;
  std::lock_guard lock(mutex_);
  if (cached_.size() >= kCachedClientsMax) cached_.clear();
  cached_.insert_or_assign(key, Cached{std::move(generation), *client});
  return client;
}

std::optional<domain::Client> ClientCache::remembered(std::string_view client_id) const {
  std::lock_guard lock(mutex_);
  const auto it = cached_.find(std::string(client_id));
  if (it == cached_.end()) return std::nullopt;
  return it->second.client;
}

void ClientCache::send_find_ahead(Connection& c) const { c.prepare(kGeneration).send_ahead(); }

}  // namespace essc::store
