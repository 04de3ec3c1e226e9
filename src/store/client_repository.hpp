// Channels and institutions that call the platform. Their secrets are needed in clear to
// verify request HMACs, so they are sealed with the PII key rather than hashed (R-S2).
#pragma once

#include <optional>
#include <string_view>

#include "crypto/pii_vault.hpp"
#include "store/records.hpp"
#include "store/sql.hpp"

namespace essc::store {

std::string_view to_string(ClientKind kind);
std::optional<ClientKind> parse_client_kind(std::string_view text);

class ClientRepository {
 public:
  explicit ClientRepository(const crypto::PiiVault& vault) : vault_(vault) {}

  void insert(Connection& c, const ClientRecord& client) const;
  std::optional<ClientRecord> find(Connection& c, std::string_view client_id) const;
  void set_suspended(Connection& c, std::string_view client_id, bool suspended) const;
  void set_secret(Connection& c, std::string_view client_id, std::string_view secret) const;
  // Writes the fields an administrator may change: name, webhook_url, requests_per_minute, qr_png.
  void update(Connection& c, const ClientRecord& client) const;

 private:
  ClientRecord from_row(const Statement& s) const;
  const crypto::PiiVault& vault_;
};

}  // namespace essc::store
