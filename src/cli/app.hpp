// A data folder and everything built from it: the configuration, the keys, the stores,
// the adapters and the platform's services. One App serves one `essc` process.
//
// Layout of a data folder:
//   essc.toml         configuration (essc init writes the defaults)
//   keys.toml         secret keys, mode 0600 (never replaced once written)
//   essc.db           the platform's database (SQLite, WAL)
//   sandbox_bank.db   the sandbox bank's ledger (sandbox mode only)
//   policies/         settlement policy per region, <region_code>.toml
//   demo-clients.toml the demo clients' credentials, mode 0600 (`essc demo` only)
//   nonces/           the request nonce journal, 0700 (`essc serve` only; store/nonce_journal.hpp)
#pragma once

#include <filesystem>
#include <map>
#include <memory>
#include <string>

#include "adapters/face.hpp"
#include "adapters/sandbox_bank.hpp"
#include "adapters/sandbox_sms.hpp"
#include "adapters/sms.hpp"
#include "cli/config.hpp"
#include "cli/store_choice.hpp"
#include "services/outbox_worker.hpp"
#include "services/platform.hpp"

namespace essc::cli {

struct DataDir {
  std::filesystem::path root;
  std::filesystem::path config() const { return root / "essc.toml"; }
  std::filesystem::path keys() const { return root / "keys.toml"; }
  std::filesystem::path database() const { return root / "essc.db"; }
  std::filesystem::path sandbox_bank() const { return root / "sandbox_bank.db"; }
  std::filesystem::path sandbox_sms() const { return root / "sandbox_sms.db"; }
  std::filesystem::path policies() const { return root / "policies"; }
  std::filesystem::path demo_clients() const { return root / "demo-clients.toml"; }
  std::filesystem::path nonces() const { return root / "nonces"; }
};

// Creates what is missing (folder, config, key file, database at the latest schema)
// and leaves everything that exists as it is. Returns one line per thing it created.
// With `store_url`, the folder's [store] url is set to it (the store is then PostgreSQL).
std::vector<std::string> initialize_data_dir(const DataDir& dir,
                                             const std::optional<std::string>& store_url = {});

class App {
 public:
  // Throws std::runtime_error with a clear message when the folder is not initialised
  // or its config or keys are bad.
  App(const DataDir& dir, bool sandbox);

  using RegionPolicies = std::map<std::string, domain::RegionPolicy, std::less<>>;
  // The audit log's origin, also its key name (API.md "Audit log"): [audit] origin, or
  // "essc.local/<first policy region>".
  static std::string audit_origin(const Config& config, const RegionPolicies& policies);
  static std::string audit_origin(const Config& config, const DataDir& dir);

  const Config& config() const { return config_; }
  const DataDir& data_dir() const { return dir_; }
  services::Platform& platform() { return *platform_; }
  adapters::SandboxBank* sandbox_bank() { return sandbox_bank_.get(); }
  services::OutboxWorker& outbox_worker() { return *outbox_worker_; }
  // A key rotation (R-S9), from the key file's watch (cli/keys.hpp): the QR signer and the
  // audit log take the keys of `keys`, from their next signature on.
  void apply_keys(const crypto::KeySet& keys);
  // One batch of re-sealing after a PII key rotation (services/pii_resealer.hpp); when the
  // last is done, the retired key leaves the key file, and every server's watch sees it.
  void reseal_pii_batch();
  // The audit log's witnesses, from [audit] witnesses.
  std::vector<services::Witness> audit_witnesses() const;
  // Before and after serving (cli/store_choice.hpp): the request nonces' journal or purge.
  void start_nonces() { store_->start_nonces(); }
  void stop_nonces() { store_->stop_nonces(); }

 private:
  DataDir dir_;
  Config config_;
  SystemClock clock_;
  std::unique_ptr<crypto::PiiVault> vault_;
  std::unique_ptr<crypto::PasswordHasher> hasher_;
  std::unique_ptr<crypto::QrSigner> qr_;
  std::unique_ptr<OpenedStore> store_;
  std::unique_ptr<adapters::SandboxBank> sandbox_bank_;
  adapters::UnconfiguredBank unconfigured_bank_;
  std::unique_ptr<adapters::Bank> http_bank_;
  std::unique_ptr<adapters::FaceVerifier> face_;
  std::unique_ptr<adapters::SandboxSmsGateway> sandbox_sms_;
  std::unique_ptr<adapters::SmsGateway> sms_;
  std::unique_ptr<services::Context> context_;
  std::unique_ptr<services::Platform> platform_;
  std::unique_ptr<services::OutboxWorker> outbox_worker_;
};

}  // namespace essc::cli
