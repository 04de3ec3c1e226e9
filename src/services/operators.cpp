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
    const bool ok = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
                    ch == '_' || ch == '-' || ch == '.';
    if (!ok) return false;
  }
  return true;
}

}  // namespace

Result<store::OperatorRecord> OperatorService::add(const Actor& actor, const NewOperator& request) {
  if (!valid_username(request.username)) return Error::invalid_field("username");
  if (request.password.size() < limits::kOperatorPasswordBytesMin ||
      request.password.size() > limits::kOperatorPasswordBytesMax) {
    return Error::invalid_field("password", "operator password length out of bounds");
  }
  const auto role = store::parse_operator_role(request.role);
  if (!role) return Error::invalid_field("role");
  std::optional<std::string> bank_code;
  if (*role == store::OperatorRole::kBankTeller) {
    if (!request.bank_code) return Error::invalid_field("bank_code", "a bank teller needs a bank");
    auto parsed = domain::parse_bank_code(*request.bank_code);
    if (!parsed) return std::move(parsed).error();
    bank_code = std::move(*parsed);
  } else if (request.bank_code) {
    return Error::invalid_field("bank_code", "only bank tellers belong to a bank");
  }

  store::OperatorRecord record{request.username, ctx_.hasher.hash(request.password), *role, bank_code};
  const auto now = ctx_.clock.now_ms();
  return ctx_.db.write<store::OperatorRecord>([&](store::Connection& c) -> Result<store::OperatorRecord> {
    if (store::find_operator(c, record.username)) return Error::with_field(ErrorCode::kConflict, "username");
    store::insert_operator(c, record, now);
    store::append_audit(c, now, actor.audit_name, "operator.add", record.username, "ok");
    return record;
  });
}

Result<OperatorSession> OperatorService::login(std::string_view username, std::string_view password) {
  const auto now = ctx_.clock.now_ms();
  std::optional<store::OperatorRecord> op;
  if (valid_username(username) && password.size() <= limits::kOperatorPasswordBytesMax) {
    op = ctx_.db.read([&](store::Connection& c) { return store::find_operator(c, username); });
  }
  // An unknown user costs a hash as well, so timing does not tell which usernames exist.
  static const std::string unknown_user_hash = ctx_.hasher.hash("essc-unknown-operator");
  const bool password_ok = ctx_.hasher.verify(op ? op->password_hash : unknown_user_hash, password);
  const bool verified = op && password_ok;
  const std::string target = valid_username(username) ? std::string(username) : "(invalid)";
  if (!verified) {
    auto logged = ctx_.db.write<bool>([&](store::Connection& c) -> Result<bool> {
      store::append_audit(c, now, "anonymous", "operator.login", target, "UNAUTHENTICATED");
      return true;
    });
    if (!logged) return std::move(logged).error();
    return Error(ErrorCode::kUnauthenticated, "operator login failed");
  }
  OperatorSession session{crypto::random_token(32), now + limits::kOperatorSessionSeconds * 1000, op->role,
                           op->bank_code};
  const std::string token_hash = crypto::sha256(session.token);
  return ctx_.db.write<OperatorSession>([&](store::Connection& c) -> Result<OperatorSession> {
    store::delete_expired_operator_sessions(c, now);
    store::insert_operator_session(c, token_hash, op->username, session.expires_at_ms);
    store::append_audit(c, now, "operator:" + op->username, "operator.login", op->username, "ok");
    return session;
  });
}

Status OperatorService::logout(const store::OperatorRecord& op, std::string_view token) {
  const std::string token_hash = crypto::sha256(token);
  const auto now = ctx_.clock.now_ms();
  auto done = ctx_.db.write<bool>([&](store::Connection& c) -> Result<bool> {
    store::delete_operator_session(c, token_hash);
    store::append_audit(c, now, "operator:" + op.username, "operator.logout", op.username, "ok");
    return true;
  });
  if (!done) return std::move(done).error();
  return {};
}

Result<store::OperatorRecord> OperatorService::authenticate(std::string_view token) {
  if (token.empty() || token.size() > 128) return Error(ErrorCode::kSessionInvalid);
  const std::string token_hash = crypto::sha256(token);
  const auto now = ctx_.clock.now_ms();
  auto op = ctx_.db.read([&](store::Connection& c) {
    return store::find_operator_by_session(c, token_hash, now);
  });
  if (!op) return Error(ErrorCode::kSessionInvalid);
  return std::move(*op);
}

}  // namespace essc::services
