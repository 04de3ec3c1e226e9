// Operators (counter clerks, bank tellers, administrators) and their sessions. Session
// tokens are stored only as their SHA-256, so a dump does not yield usable tokens.
#pragma once

#include <optional>
#include <string_view>

#include "domain/operator.hpp"
#include "store/sql.hpp"

namespace essc::store {

// Throws StoreError (constraint) when the username is taken.
void insert_operator(Connection& c, const domain::Operator& op, std::int64_t now_ms);
std::optional<domain::Operator> find_operator(Connection& c, std::string_view username);
bool any_operator(Connection& c);

void insert_operator_session(Connection& c, std::string_view token_hash, std::string_view username,
                             std::int64_t expires_at_ms);
// The operator whose unexpired session has this token hash.
std::optional<domain::Operator> find_operator_by_session(Connection& c, std::string_view token_hash,
                                                         std::int64_t now_ms);
void delete_operator_session(Connection& c, std::string_view token_hash);
void delete_expired_operator_sessions(Connection& c, std::int64_t now_ms);

// Failed logins in a row for one username and the lock they earned.
struct LoginFailures {
  std::int64_t failures = 0;
  std::optional<std::int64_t> locked_until_ms;
};
LoginFailures find_login_failures(Connection& c, std::string_view username);
void save_login_failures(Connection& c, std::string_view username, const LoginFailures& f,
                         std::int64_t now_ms);
void clear_login_failures(Connection& c, std::string_view username);

}  // namespace essc::store
