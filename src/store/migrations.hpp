// Versioned schema migrations. Each migration is applied once, in order, inside one
// transaction together with its row in schema_migrations; the SQL is kept portable
// between SQLite and PostgreSQL (no AUTOINCREMENT, no SQLite-only types).
#pragma once

#include <cstdint>

#include "store/sql.hpp"

namespace essc::store {

// The version the code expects; /readyz is ready only when the database has it.
int latest_schema_version();
// REQUIRES: apply_migrations() ran on this store once.
int current_schema_version(Connection& c);
// Applies every pending migration; returns how many were applied.
int apply_migrations(Connection& c, std::int64_t now_ms);

}  // namespace essc::store
