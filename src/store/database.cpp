#include "store/database.hpp"

#include "store/migrations.hpp"

namespace essc::store {
namespace {

// The shared read open on this thread: a thread runs one request at a time, and a read
// of another database (a test's second store) must not join it.
thread_local const Database* tls_shared_db = nullptr;
thread_local Connection* tls_shared_connection = nullptr;

}  // namespace

Database::SharedRead::SharedRead(const Database& db, Connection& c)
    : previous_db_(tls_shared_db), previous_connection_(tls_shared_connection) {
  tls_shared_db = &db;
  tls_shared_connection = &c;
}

Database::SharedRead::~SharedRead() {
  tls_shared_db = previous_db_;
  tls_shared_connection = previous_connection_;
}

Connection* Database::shared_connection() const {
  return tls_shared_db == this ? tls_shared_connection : nullptr;
}

bool Database::ready() {
  try {
    return read([](Connection& c) {
      static constexpr char kPing[] = "SELECT 1";
      return c.prepare(kPing).first([](const Statement& s) { return s.int64(0); }) == 1;
    });
  } catch (const StoreError&) {
    return false;
  }
}

int Database::schema_version() {
  return read([](Connection& c) { return current_schema_version(c); });
}

Error Database::unavailable(std::string detail) {
  Error e(ErrorCode::kUnavailable, std::move(detail));
  e.extras.retry_after = 1;
  return e;
}

namespace {
constexpr std::string_view kOutcomeUnknown =
    "the store was lost while committing; the outcome is unknown";
}  // namespace

Error Database::outcome_unknown() { return unavailable(std::string(kOutcomeUnknown)); }

bool Database::is_outcome_unknown(const Error& e) {
  return e.code == ErrorCode::kUnavailable && e.detail == kOutcomeUnknown;
}

}  // namespace essc::store
