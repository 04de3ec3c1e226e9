// The server's configuration: `essc.toml` in the data folder, then ESSC_<SECTION>_<KEY>
// environment variables over it (e.g. ESSC_SERVER_LISTEN=0.0.0.0:8080). Unknown keys and
// bad values stop start-up with a message naming them (STYLE.md: config rejects unknown
// keys).
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include "crypto/password_hasher.hpp"

namespace essc::cli {

struct Config {
  std::string listen = "127.0.0.1:8080";
  // The address cardholders and institutions reach the platform at (https://… behind a
  // TLS proxy), which certificates' QR codes point under; empty: the listen address.
  std::string public_url;
  int io_threads = 0;      // 0: one per core
  int worker_threads = 0;  // 0: four per core
  std::uint64_t argon2_ops_limit = crypto::kArgon2OpsLimitDefault;
  std::uint64_t argon2_memory_kib = crypto::kArgon2MemoryKibDefault;
  int argon2_concurrent_hashes_max = 0;  // 0: one per core
  std::string qr_algorithm = "Ed25519";  // or "SM2" where GM/T algorithms are required
  std::string log_level = "info";
  // External services outside sandbox mode (docs/adapters.md); empty URL: not configured.
  // Keys are best given as ESSC_ADAPTERS_*_API_KEY environment variables, not in the file.
  std::string face_url, face_api_key;
  std::string sms_url, sms_api_key;
  std::string bank_url, bank_api_key;
  std::int64_t adapter_timeout_ms = 5000;
  // [webhooks] allow_private_targets: webhook URLs may name loopback, link-local and
  // private addresses (always so with --sandbox).
  bool webhooks_allow_private_targets = false;
  // [store]: empty url → the SQLite file in the data folder; a postgresql:// URL (libpq,
  // several hosts allowed) → that database, shared by every server of the folder.
  std::string store_url;
  std::int64_t store_pool_size = 16;
  std::string store_password_file;  // a file holding the password alone (or use PGPASSFILE)
  // [backup] recipients: the age recipients `essc backup` encrypts archives to (age1…
  // keys or ssh-ed25519/ssh-rsa public keys); none: archives are written unencrypted.
  std::vector<std::string> backup_recipients;
  // [audit]: the log's origin (empty: essc.local/<first region policy>) and its
  // witnesses, each (url, vkey).
  std::string audit_origin;
  std::vector<std::pair<std::string, std::string>> audit_witnesses;
};

// `essc init --store-url` and `essc store copy`: sets [store] url in the file.
void set_store_url(const std::filesystem::path& file, const std::string& url);

// The text `essc init` writes: every key with its default and a comment.
std::string default_config_text();
// Reads the file and the environment. Throws std::runtime_error naming the problem.
Config load_config(const std::filesystem::path& file);

// "host:port" → parts; throws std::runtime_error on a malformed address.
struct ListenAddress {
  std::string host;
  std::uint16_t port = 0;
};
ListenAddress parse_listen(const std::string& text);

}  // namespace essc::cli
