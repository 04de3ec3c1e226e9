// Channels and institutions that call the platform. Their secrets are needed in clear to
// verify request HMACs, so they are sealed with the PII key rather than hashed (R-S2).
#pragma once

#include <optional>
#include <string_view>

#include "crypto/pii_vault.hpp"
#include "domain/client.hpp"
#include "store/sql.hpp"

namespace essc::store {

class ClientRepository {
 public:
  explicit ClientRepository(const crypto::PiiVault& vault) : vault_(vault) {}

  void insert(Connection& c, const domain::Client& client) const;
  std::optional<domain::Client> find(Connection& c, std::string_view client_id) const;
  void set_suspended(Connection& c, std::string_view client_id, bool suspended) const;
  void set_secret(Connection& c, std::string_view client_id, std::string_view secret) const;
  // Writes the fields an administrator may change: name, webhook_url, requests_per_minute, qr_png.
  void update(Connection& c, const domain::Client& client) const;

 private:
  domain::Client from_row(const Statement& s) const;
  const crypto::PiiVault& vault_;
};

}  // namespace essc::store
