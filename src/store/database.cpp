#include "store/database.hpp"

#include <utility>

#include "common/wait.hpp"
#include "store/migrations.hpp"

namespace essc::store {

// A fiber that waits takes its shared read along (common/wait.hpp); a read of another
// database (a test's second store) does not join it.
thread_local const Database::SharedRead* Database::shared_read_ = nullptr;

const bool Database::shared_read_is_fiber_local_ = register_fiber_local(
    {[]() -> const void* { return std::exchange(shared_read_, nullptr); },
     [](const void* kept) { shared_read_ = static_cast<const SharedRead*>(kept); }});

Database::SharedRead::SharedRead(const Database& db, Connection& c)
    : db_(db), connection_(c), previous_(shared_read_) {
  shared_read_ = this;
}

Database::SharedRead::~SharedRead() { shared_read_ = previous_; }

Connection* Database::shared_connection() const {
  return shared_read_ != nullptr && &shared_read_->db_ == this ? &shared_read_->connection_
                                                               : nullptr;
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
