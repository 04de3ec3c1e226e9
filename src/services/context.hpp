// What every service is built from: the store, the clock, the crypto and the adapters,
// injected so tests can run the real thing on a temporary database with a manual clock.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "adapters/bank.hpp"
#include "adapters/face.hpp"
#include "adapters/sms.hpp"
#include "common/clock.hpp"
#include "crypto/password_hasher.hpp"
#include "crypto/pii_vault.hpp"
#include "crypto/qr_token.hpp"
#include "domain/client.hpp"
#include "domain/operator.hpp"
#include "store/client_repository.hpp"
#include "store/database.hpp"
#include "store/request_nonces.hpp"

namespace essc::services {

struct Context {
  Context(const Clock& clock_in, store::Database& db_in, store::RequestNonces& nonces_in,
          const crypto::PiiVault& vault_in, const crypto::PasswordHasher& hasher_in,
          const crypto::QrSigner& qr_in, adapters::Bank& bank_in, adapters::FaceVerifier& face_in,
          adapters::SmsGateway& sms_in)
      : clock(clock_in),
        db(db_in),
        nonces(nonces_in),
        vault(vault_in),
        hasher(hasher_in),
        qr(qr_in),
        bank(bank_in),
        face(face_in),
        sms(sms_in),
        clients(vault_in) {}

  const Clock& clock;
  store::Database& db;
  store::RequestNonces& nonces;
  const crypto::PiiVault& vault;
  const crypto::PasswordHasher& hasher;
  const crypto::QrSigner& qr;
  adapters::Bank& bank;
  adapters::FaceVerifier& face;
  adapters::SmsGateway& sms;
  store::ClientCache clients;
};

// How the audit log names a channel or institution that acts: "client:<id>".
inline constexpr std::string_view kClientAuditPrefix = "client:";
inline std::string client_audit_name(std::string_view client_id) {
  return std::string(kClientAuditPrefix).append(client_id);
}

// Who is acting, for authorisation and the audit log.
struct Actor {
  std::string audit_name;  // "operator:alice", "client:ch_…", "cli"
  std::optional<domain::Operator> operator_record;
  std::optional<domain::Client> client;

  static Actor of_operator(domain::Operator op) {
    Actor a{"operator:" + op.username, std::move(op), std::nullopt};
    return a;
  }
  static Actor of_client(domain::Client c) {
    Actor a{client_audit_name(c.client_id), std::nullopt, std::move(c)};
    return a;
  }
  static Actor command_line() { return Actor{"cli", std::nullopt, std::nullopt}; }
};

}  // namespace essc::services
