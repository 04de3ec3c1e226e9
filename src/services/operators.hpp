// Operators: counter clerks, bank tellers and administrators (API.md "Authentication").
// Passwords are Argon2id over a peppered HMAC (R-W5); session tokens are 256-bit random
// values stored only as their SHA-256. Every login attempt is audited (R-S6): a success
// and a lock one entry each, failures and refusals counted per operator (or unknown
// username) and minute in the refusal log, so guessing cannot grow the log faster than
// a fixed rate.
#pragma once

#include <optional>
#include <string>

#include "common/clock.hpp"
#include "crypto/password_hasher.hpp"
#include "domain/operator.hpp"
#include "services/context.hpp"
#include "services/refusal_log.hpp"
#include "store/database.hpp"

namespace essc::services {

struct NewOperator {
  std::string username;
  std::string password;
  std::string role;
  std::optional<std::string> bank_code;
};

struct OperatorSession {
  std::string token;
  std::int64_t expires_at_ms = 0;
  domain::OperatorRole role = domain::OperatorRole::kHrClerk;
  std::optional<std::string> bank_code;  // a bank teller's bank
};

class OperatorService {
 public:
  OperatorService(const Clock& clock, store::Database& db, const crypto::PasswordHasher& hasher,
                  RefusalLog& refusals)
      : clock_(clock), db_(db), hasher_(hasher), refusals_(refusals) {}

  Result<domain::Operator> add(const Actor& actor, const NewOperator& request);
  // UNAUTHENTICATED for an unknown user or a wrong password alike; after
  // limits::kOperatorLoginFailuresMax in a row for one username, RATE_LIMITED (with
  // retry_after) for limits::kOperatorLoginLockMs, whatever the password.
  Result<OperatorSession> login(std::string_view username, std::string_view password);
  Status logout(const domain::Operator& op, std::string_view token);
  // The operator of an unexpired session token; SESSION_INVALID otherwise.
  Result<domain::Operator> authenticate(std::string_view token);

 private:
  const std::string& unknown_operator_hash();
  Result<std::optional<domain::Operator>> reserve_login_attempt(std::string_view username,
                                                                std::int64_t now_ms);
  Error record_failed_login(std::string_view username, std::int64_t now_ms);

  const Clock& clock_;
  store::Database& db_;
  const crypto::PasswordHasher& hasher_;
  RefusalLog& refusals_;
};

}  // namespace essc::services
