#include "cli/store_choice.hpp"

#include <algorithm>
#include <fstream>
#include <stdexcept>

#include "common/limits.hpp"
#include "store/postgres_database.hpp"
#include "store/sqlite_database.hpp"

namespace essc::cli {

std::optional<store::PostgresTarget> postgres_target(const Config& config) {
  if (config.store_url.empty()) return std::nullopt;
  store::PostgresTarget target{config.store_url, std::nullopt, std::nullopt};
  if (!config.store_password_file.empty()) {
    std::ifstream in(config.store_password_file);
    std::string password;
    if (!in || !std::getline(in, password)) {
      throw std::runtime_error("cannot read store.password_file " + config.store_password_file);
    }
    target.password = std::move(password);
  }
  return target;
}

OpenedStore::OpenedStore(const std::filesystem::path& sqlite_file,
                         const std::filesystem::path& nonce_folder, const Config& config,
                         const Clock& clock)
    : clock_(clock), nonce_folder_(nonce_folder) {
  if (auto target = postgres_target(config)) {
    const auto pool_size = static_cast<std::size_t>(config.store_pool_size);
    database_ = std::make_unique<store::PostgresDatabase>(*target, pool_size, clock);
    // A claim is one short statement: a quarter of the pool's connections serve them.
    shared_nonces_ =
        std::make_unique<store::PostgresNonces>(*target, std::max<std::size_t>(2, pool_size / 4));
  } else {
    database_ = std::make_unique<store::SqliteDatabase>(sqlite_file.string(), clock);
    memory_nonces_ = std::make_unique<store::NonceStore>(clock.now_ms());
  }
}

OpenedStore::~OpenedStore() = default;

store::RequestNonces& OpenedStore::nonces() {
  if (shared_nonces_) return *shared_nonces_;
  return *memory_nonces_;
}

void OpenedStore::start_nonces() {
  if (memory_nonces_) {
    memory_nonces_->open_journal(nonce_folder_, clock_);
    return;
  }
  purge_.start("nonce_purge_failed", std::chrono::milliseconds(limits::kNoncePurgeIntervalMs),
               false,
               [this] { shared_nonces_->purge(clock_.now_ms(), limits::kClientRateWindowMs); });
}

void OpenedStore::stop_nonces() {
  if (memory_nonces_) {
    memory_nonces_->close_journal();
    return;
  }
  purge_.stop();
}

}  // namespace essc::cli
