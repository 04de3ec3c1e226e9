#include "store/database.hpp"

#include "store/migrations.hpp"

namespace essc::store {

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

}  // namespace essc::store
