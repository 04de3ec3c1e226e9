#include "services/operators.hpp"

#include "common/limits.hpp"
#include "crypto/hash.hpp"
#include "crypto/random.hpp"
#include "domain/bank_code.hpp"
#include "store/audit_log.hpp"
#include "store/operator_repository.hpp"

namespace essc::services {
namespace {

// Usernames are ASCII identifiers: they appear in audit rows and logs verbatim.
bool valid_username(std::string_view name) {
  if (name.empty() || name.size() > limits::kUsernameBytesMax) return false;
  for (char ch : name) {
    const bool ok = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
                    (ch >= '0' && ch <= '9') || ch == '_' || ch == '-' || ch == '.';
    if (!ok) return false;
  }
  return true;
}

}  // namespace

Result<domain::Operator> OperatorService::add(const Actor& actor, const NewOperator& request) {
  if (!valid_username(request.username)) return Error::invalid_field("username");
  if (request.password.size() < limits::kOperatorPasswordBytesMin ||
      request.password.size() > limits::kOperatorPasswordBytesMax) {
    return Error::invalid_field("password", "operator password length out of bounds");
  }
  const auto role = domain::parse_operator_role(request.role);
  if (!role) return Error::invalid_field("role");
  std::optional<std::string> bank_code;
  if (*role == domain::OperatorRole::kBankTeller) {
    if (!request.bank_code) return Error::invalid_field("bank_code", "a bank teller needs a bank");
    auto parsed = domain::parse_bank_code(*request.bank_code);
    if (!parsed) return std::move(parsed).error();
    bank_code = std::move(*parsed);
  } else if (request.bank_code) {
    return Error::invalid_field("bank_code", "only bank tellers belong to a bank");
  }

  domain::Operator record{request.username, hasher_.hash(request.password), *role, bank_code};
  const auto now = clock_.now_ms();
  return db_.write<domain::Operator>([&](store::Connection& c) -> Result<domain::Operator> {
    if (store::find_operator(c, record.username))
      return Error::with_field(ErrorCode::kConflict, "username");
    store::insert_operator(c, record, now);
    store::append_audit(c, now, actor.audit_name, "operator.add", record.username, "ok");
    return record;
  });
}

// R-S6 and ASVS 2.2.1: an attempt is reserved in the store before the hash is checked, so
// no burst, on one server or many, checks more passwords than the lock allows; a locked
// username is refused without a hash and without an audit row per try (the lock itself
// is audited once).
Result<OperatorSession> OperatorService::login(std::string_view username,
                                               std::string_view password) {
  const auto now = clock_.now_ms();
  if (!valid_username(username) || password.size() > limits::kOperatorPasswordBytesMax) {
    // Nothing can log in with these; the hash keeps the timing of any other refusal.
    (void)hasher_.verify(unknown_operator_hash(), password);
    return Error(ErrorCode::kUnauthenticated, "operator login failed");
  }
  auto op = reserve_login_attempt(username, now);
  if (!op) {
    refusals_.record(RefusalSource::kOperator, {}, op.error().code);
    return std::move(op).error();
  }
  const bool verified =
      hasher_.verify(*op ? (*op)->password_hash : unknown_operator_hash(), password) && *op;
  if (!verified) {
    refusals_.record(RefusalSource::kOperator,
                     *op ? std::string_view((*op)->username) : std::string_view{},
                     ErrorCode::kUnauthenticated);
    return record_failed_login(username, now);
  }
  auto& known = **op;
  OperatorSession session{crypto::random_token(32), now + limits::kOperatorSessionSeconds * 1000,
                          known.role, known.bank_code};
  const std::string token_hash = crypto::sha256(session.token);
  return db_.write<OperatorSession>([&](store::Connection& c) -> Result<OperatorSession> {
    store::clear_login_failures(c, known.username);
    store::delete_expired_operator_sessions(c, now);
    store::insert_operator_session(c, token_hash, known.username, session.expires_at_ms);
    store::append_audit(c, now, "operator:" + known.username, "operator.login", known.username,
                        "ok");
    return session;
  });
}

const std::string& OperatorService::unknown_operator_hash() {
  // An unknown user costs a hash as well, so timing does not tell which usernames exist.
  static const std::string hash = hasher_.hash("essc-unknown-operator");
  return hash;
}

// The operator (or nothing, for an unknown username) once an attempt is reserved;
// RATE_LIMITED with retry_after while the username is locked.
Result<std::optional<domain::Operator>> OperatorService::reserve_login_attempt(
    std::string_view username, std::int64_t now_ms) {
  return db_.write<std::optional<domain::Operator>>(
      [&](store::Connection& c) -> Result<std::optional<domain::Operator>> {
        auto f = store::find_login_failures(c, username);
        if (f.locked_until_ms && *f.locked_until_ms <= now_ms)
          f = {};  // the lock is over: a fresh count
        if (f.locked_until_ms || f.failures >= limits::kOperatorLoginFailuresMax) {
          Error e(ErrorCode::kRateLimited, "operator login locked");
          const auto until = f.locked_until_ms.value_or(now_ms + limits::kOperatorLoginLockMs);
          e.extras.retry_after = retry_after_seconds(until - now_ms);
          return e;
        }
        ++f.failures;  // counted as failed until the hash says otherwise
        store::save_login_failures(c, username, f, now_ms);
        return store::find_operator(c, username);
      });
}

Error OperatorService::record_failed_login(std::string_view username, std::int64_t now_ms) {
  (void)db_.write<bool>([&](store::Connection& c) -> Result<bool> {
    auto f = store::find_login_failures(c, username);
    if (f.failures >= limits::kOperatorLoginFailuresMax && !f.locked_until_ms) {
      f.locked_until_ms = now_ms + limits::kOperatorLoginLockMs;
      store::save_login_failures(c, username, f, now_ms);
      store::append_audit(c, now_ms, "platform", "operator.lock", std::string(username),
                          "RATE_LIMITED");
    }
    return true;
  });
  return Error(ErrorCode::kUnauthenticated, "operator login failed");
}

Status OperatorService::logout(const domain::Operator& op, std::string_view token) {
  const std::string token_hash = crypto::sha256(token);
  const auto now = clock_.now_ms();
  auto done = db_.write<bool>([&](store::Connection& c) -> Result<bool> {
    store::delete_operator_session(c, token_hash);
    store::append_audit(c, now, "operator:" + op.username, "operator.logout", op.username, "ok");
    return true;
  });
  if (!done) return std::move(done).error();
  return {};
}

Result<domain::Operator> OperatorService::authenticate(std::string_view token) {
  if (token.empty() || token.size() > limits::kSessionTokenCharsMax)
    return Error(ErrorCode::kSessionInvalid);
  const std::string token_hash = crypto::sha256(token);
  const auto now = clock_.now_ms();
  auto op = db_.read(
      [&](store::Connection& c) { return store::find_operator_by_session(c, token_hash, now); });
  if (!op) return Error(ErrorCode::kSessionInvalid);
  return std::move(*op);
}

}  // namespace essc::services
