// `essc store copy --data-dir DIR --to URL` (API.md "Command line"): moves a city from the
// embedded SQLite file to PostgreSQL. Every table of the folder's essc.db is copied in
// one transaction into an empty PostgreSQL database (migrated first, so its schema is
// this essc's), row counts and the audit chain are verified on the target, and only then
// is the folder's essc.toml switched to the URL. A target that holds any data is
// refused, so nothing is ever merged into or over another store; a failed copy leaves
// at most the empty schema, which a second copy accepts.
#pragma once

#include <string>

#include "cli/app.hpp"

namespace essc::cli {

// Prints one line per table copied and a summary. Throws std::runtime_error naming what
// failed; on any failure the target is left as it was and the folder still uses SQLite.
void copy_store(const DataDir& dir, const std::string& url);

}  // namespace essc::cli
