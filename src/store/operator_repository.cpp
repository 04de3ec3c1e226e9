#include "store/operator_repository.hpp"

namespace essc::store {
namespace {

constexpr char kInsert[] =
    "INSERT INTO operators (username, password_hash, role, bank_code, created_at_ms) "
    "VALUES (?, ?, ?, ?, ?)";
constexpr char kFind[] =
    "SELECT username, password_hash, role, bank_code FROM operators WHERE username = ?";
constexpr char kAny[] = "SELECT 1 FROM operators LIMIT 1";
constexpr char kInsertSession[] =
    "INSERT INTO operator_sessions (token_hash, username, expires_at_ms) VALUES (?, ?, ?)";
constexpr char kFindBySession[] =
    "SELECT o.username, o.password_hash, o.role, o.bank_code FROM operator_sessions s "
    "JOIN operators o ON o.username = s.username WHERE s.token_hash = ? AND s.expires_at_ms > ?";
constexpr char kDeleteSession[] = "DELETE FROM operator_sessions WHERE token_hash = ?";
constexpr char kDeleteExpired[] = "DELETE FROM operator_sessions WHERE expires_at_ms <= ?";
constexpr char kFindFailures[] =
    "SELECT failures, locked_until_ms FROM operator_login_failures WHERE username = ?";
constexpr char kSaveFailures[] =
    "INSERT INTO operator_login_failures (username, failures, locked_until_ms, updated_at_ms) "
    "VALUES (?, ?, ?, ?) "
    "ON CONFLICT (username) DO UPDATE SET failures = excluded.failures, locked_until_ms = "
    "excluded.locked_until_ms, "
    "updated_at_ms = excluded.updated_at_ms";
constexpr char kClearFailures[] = "DELETE FROM operator_login_failures WHERE username = ?";

domain::Operator from_row(const Statement& s) {
  return {s.text(0), s.text(1), domain::parse_operator_role(s.text(2)).value(), s.optional_text(3)};
}

}  // namespace

void insert_operator(Connection& c, const domain::Operator& op, std::int64_t now_ms) {
  c.prepare(kInsert)
      .bind_all(op.username, op.password_hash, domain::to_string(op.role), op.bank_code, now_ms)
      .run();
}

std::optional<domain::Operator> find_operator(Connection& c, std::string_view username) {
  return c.prepare(kFind).bind_all(username).first(from_row);
}

bool any_operator(Connection& c) {
  return c.prepare(kAny).first([](const Statement&) { return true; }).has_value();
}

void insert_operator_session(Connection& c, std::string_view token_hash, std::string_view username,
                             std::int64_t expires_at_ms) {
  auto& s = c.prepare(kInsertSession);
  s.bind_blob(1, token_hash).bind(2, username).bind(3, expires_at_ms).run();
}

std::optional<domain::Operator> find_operator_by_session(Connection& c, std::string_view token_hash,
                                                         std::int64_t now_ms) {
  auto& s = c.prepare(kFindBySession);
  s.bind_blob(1, token_hash).bind(2, now_ms);
  return s.first(from_row);
}

void delete_operator_session(Connection& c, std::string_view token_hash) {
  c.prepare(kDeleteSession).bind_blob(1, token_hash).run();
}

void delete_expired_operator_sessions(Connection& c, std::int64_t now_ms) {
  c.prepare(kDeleteExpired).bind_all(now_ms).run();
}

LoginFailures find_login_failures(Connection& c, std::string_view username) {
  return c.prepare(kFindFailures)
      .bind_all(username)
      .first([](const Statement& s) {
        return LoginFailures{s.int64(0), s.optional_int64(1)};
      })
      .value_or(LoginFailures{});
}

void save_login_failures(Connection& c, std::string_view username, const LoginFailures& f,
                         std::int64_t now_ms) {
  c.prepare(kSaveFailures).bind_all(username, f.failures, f.locked_until_ms, now_ms).run();
}

void clear_login_failures(Connection& c, std::string_view username) {
  c.prepare(kClearFailures).bind_all(username).run();
}

}  // namespace essc::store
