// The store a data folder's configuration names ([store] url, ESSC_STORE_URL): the
// SQLite file in the folder, with request nonces in the process and journalled to the
// folder; or a PostgreSQL database, with request nonces in it too, so that any number of
// servers on the folder share everything a request depends on.
#pragma once

#include <memory>
#include <optional>

#include "cli/config.hpp"
#include "common/clock.hpp"
#include "common/periodic_task.hpp"
#include "store/database.hpp"
#include "store/nonce_store.hpp"
#include "store/postgres.hpp"
#include "store/postgres_nonces.hpp"

namespace essc::cli {

// The PostgreSQL the config names, with the password from password_file when set;
// nullopt for the embedded store. Throws std::runtime_error when the file is unreadable.
std::optional<store::PostgresTarget> postgres_target(const Config& config);

class OpenedStore {
 public:
  // Opens (and migrates) the store. Throws on a store that cannot be reached.
  OpenedStore(const std::filesystem::path& sqlite_file, const std::filesystem::path& nonce_folder,
              const Config& config, const Clock& clock);
  ~OpenedStore();

  store::Database& database() { return *database_; }
  store::RequestNonces& nonces();
  bool shared() const { return shared_nonces_ != nullptr; }

  // Before serving: the embedded store loads the last server's nonces and journals
  // claims from now on; the shared one purges expired rows periodically.
  void start_nonces();
  // After serving: a clean journal close (the next start refuses nothing), or the purge stops.
  void stop_nonces();

 private:
  const Clock& clock_;
  std::filesystem::path nonce_folder_;
  std::unique_ptr<store::Database> database_;
  std::unique_ptr<store::NonceStore> memory_nonces_;
  std::unique_ptr<store::PostgresNonces> shared_nonces_;
  PeriodicTask purge_;
};

}  // namespace essc::cli
