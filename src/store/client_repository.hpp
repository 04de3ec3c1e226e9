// Channels and institutions that call the platform. Their secrets are needed in clear to
// verify request HMACs, so they are sealed with the PII key rather than hashed (R-S2).
// Every write here changes the store's clients generation (migration 17) in the writing
// transaction, which ClientCache checks.
#pragma once

#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "crypto/pii_vault.hpp"
#include "domain/client.hpp"
#include "store/sql.hpp"

namespace essc::store {

void insert_client(Connection& c, const crypto::PiiVault& vault, const domain::Client& client);
std::optional<domain::Client> find_client(Connection& c, const crypto::PiiVault& vault,
                                          std::string_view client_id);
void set_client_suspended(Connection& c, std::string_view client_id, bool suspended);
void set_client_secret(Connection& c, const crypto::PiiVault& vault, std::string_view client_id,
                       std::string_view secret);
// Writes the fields an administrator may change: name, webhook_url, requests_per_minute, qr_png.
void update_client(Connection& c, const domain::Client& client);

// Every signed request reads its client, so find() keeps decoded records in memory and
// serves one while the store's clients generation is the one it was read at. The
// generation is read in the caller's own snapshot, so a suspension or a new secret
// committed by any server holds for every request that starts after it, on every server,
// as without the cache.
//
// Thread safety: one cache is shared by every thread; it has its own lock.
class ClientCache {
 public:
  explicit ClientCache(const crypto::PiiVault& vault) : vault_(vault) {}

  std::optional<domain::Client> find(Connection& c, std::string_view client_id) const;
  // The record find() last answered for the id, without reading the store: it may have
  // changed since, which a find() in the caller's snapshot says.
  std::optional<domain::Client> remembered(std::string_view client_id) const;
  // Sends the read find() starts with ahead of it (Statement::send_ahead()), so that the
  // transaction's next read carries it and find() then costs no round trip of its own.
  void send_find_ahead(Connection& c) const;

 private:
  struct Cached {
    std::string generation;
    domain::Client client;
  };

  const crypto::PiiVault& vault_;
  mutable std::mutex mutex_;
  mutable std::unordered_map<std::string, Cached> cached_;
};

}  // namespace essc::store
