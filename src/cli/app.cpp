#include "cli/app.hpp"

#include <fstream>
#include <stdexcept>
#include <thread>

#include "adapters/http_client.hpp"
#include "adapters/http_services.hpp"
#include "cli/key_file.hpp"
#include "cli/keys.hpp"
#include "cli/policy_files.hpp"
#include "cli/private_file.hpp"
#include "common/limits.hpp"
#include "common/log.hpp"
#include "crypto/random.hpp"
#include "crypto/sodium.hpp"
#include "store/postgres_database.hpp"
#include "store/sqlite_database.hpp"

namespace essc::cli {
namespace {

Result<int> post_webhook(const services::WebhookRequest& request, bool public_addresses_only) {
  adapters::HttpCall call;
  call.public_addresses_only = public_addresses_only;
  call.url = request.url;
  call.headers = request.headers;
  call.body = request.body;
  call.timeout_ms = limits::kWebhookTimeoutMs;
  ESSC_ASSIGN_OR_RETURN(const auto reply, adapters::http_call(call));
  return reply.status;
}

int cores() { return static_cast<int>(std::max(1u, std::thread::hardware_concurrency())); }

std::vector<std::string> retired_pii_keys(const crypto::KeySet& keys) {
  std::vector<std::string> out;
  for (const auto& retired : keys.retired_pii_keys) out.push_back(retired.key);
  return out;
}

// When the last rotation retired the key before the current one; 0 when none is retired.
std::int64_t pii_rotated_at(const crypto::KeySet& keys) {
  return keys.retired_pii_keys.empty() ? 0 : keys.retired_pii_keys.back().retired_at_ms;
}

}  // namespace

std::vector<std::string> initialize_data_dir(const DataDir& dir,
                                             const std::optional<std::string>& store_url) {
  crypto::initialize_sodium();
  keep_private(dir.root);
  std::vector<std::string> created;
  if (!std::filesystem::exists(dir.root)) {
    std::filesystem::create_directories(dir.root);
    std::filesystem::permissions(dir.root, std::filesystem::perms::owner_all);
    created.push_back("created " + dir.root.string());
  }
  if (!std::filesystem::exists(dir.config())) {
    std::ofstream(dir.config()) << default_config_text();
    created.push_back("wrote " + dir.config().string());
  }
  if (!std::filesystem::exists(dir.policies())) {
    std::filesystem::create_directories(dir.policies());
    std::ofstream(dir.policies() / "330200.toml") << region_policy_text(domain::RegionPolicy{});
    created.push_back("wrote " + (dir.policies() / "330200.toml").string());
  }
  if (!std::filesystem::exists(dir.nonces())) {
    // Made here, so the first `essc serve` knows no earlier server's nonces are missing.
    std::filesystem::create_directories(dir.nonces());
    std::filesystem::permissions(dir.nonces(), std::filesystem::perms::owner_all);
  }
  SystemClock clock;
  if (!std::filesystem::exists(dir.keys())) {
    write_key_file(dir.keys(), crypto::KeySet::generate(clock.now_ms()));
    created.push_back("wrote " + dir.keys().string() + " (mode 0600)");
  }
  auto config = load_config(dir.config());
  if (store_url && config.store_url != *store_url) {
    set_store_url(dir.config(), *store_url);
    created.push_back("set [store] url = " + store::redact_url(*store_url));
    config = load_config(dir.config());
  }
  if (const auto target = postgres_target(config)) {
    store::PostgresDatabase database(*target, 1, clock);  // migrated as it opens
    return created;
  }
  const bool had_database = std::filesystem::exists(dir.database());
  store::SqliteDatabase database(dir.database().string(), clock);
  if (!had_database) created.push_back("created " + dir.database().string());
  return created;
}

App::App(const DataDir& dir, bool sandbox) : dir_(dir) {
  crypto::initialize_sodium();
  keep_private(dir.root);
  if (!std::filesystem::exists(dir.config())) {
    throw std::runtime_error("no essc data folder at " + dir.root.string() +
                             "; run `essc init --data-dir " + dir.root.string() + "` first");
  }
  config_ = load_config(dir.config());
  auto keys = read_key_file(dir.keys());
  if (keys.audit_log_seed.empty()) {
    // A folder of an earlier version: its log gets a signing key of its own (R-S6).
    keys.audit_log_seed = crypto::random_bytes(crypto::kSecretKeyBytes);
    replace_key_file(dir.keys(), keys);
  }
  vault_ = std::make_unique<crypto::PiiVault>(keys.pii_key, keys.blind_index_key,
                                              retired_pii_keys(keys));
  crypto::Argon2Params params;
  params.ops_limit = config_.argon2_ops_limit;
  params.memory_kib = config_.argon2_memory_kib;
  params.concurrent_hashes_max =
      config_.argon2_concurrent_hashes_max > 0 ? config_.argon2_concurrent_hashes_max : cores();
  hasher_ = std::make_unique<crypto::PasswordHasher>(keys.password_pepper, params);
  qr_ = std::make_unique<crypto::QrSigner>(keys.qr_signing_keys, config_.qr_algorithm);
  store_ = std::make_unique<OpenedStore>(dir.database(), dir.nonces(), config_, clock_);
  adapters::Bank* bank = &unconfigured_bank_;
  adapters::SmsGateway* sms = nullptr;
  if (sandbox) {
    sandbox_bank_ = std::make_unique<adapters::SandboxBank>(dir.sandbox_bank().string(), *vault_);
    bank = sandbox_bank_.get();
    face_ = std::make_unique<adapters::SandboxFaceVerifier>();
    sandbox_sms_ = std::make_unique<adapters::SandboxSmsGateway>(
        dir.sandbox_sms().string(), [this] { return clock_.now_ms(); });
    sms = sandbox_sms_.get();
  } else {
    const auto endpoint = [&](const std::string& url, const std::string& key) {
      return adapters::ServiceEndpoint{url, key, config_.adapter_timeout_ms};
    };
    if (config_.face_url.empty()) {
      face_ = std::make_unique<adapters::UnconfiguredFaceVerifier>();
    } else {
      face_ = std::make_unique<adapters::HttpFaceVerifier>(
          endpoint(config_.face_url, config_.face_api_key));
    }
    if (config_.sms_url.empty()) {
      sms_ = std::make_unique<adapters::UnconfiguredSmsGateway>();
    } else {
      sms_ = std::make_unique<adapters::HttpSmsGateway>(
          endpoint(config_.sms_url, config_.sms_api_key));
    }
    sms = sms_.get();
    if (!config_.bank_url.empty()) {
      http_bank_ =
          std::make_unique<adapters::HttpBank>(endpoint(config_.bank_url, config_.bank_api_key));
      bank = http_bank_.get();
    }
  }
  context_ = std::make_unique<services::Context>(clock_, store_->database(), store_->nonces(),
                                                 *vault_, *hasher_, *qr_, *bank, *face_, *sms);
  auto policies = load_region_policies(dir.policies());
  services::AuditLogKey audit_key{audit_origin(config_, policies), keys.audit_log_seed,
                                  keys.retired_audit_keys};
  platform_ = std::make_unique<services::Platform>(*context_, std::move(audit_key),
                                                   sandbox_sms_.get(), std::move(policies));
  platform_->pii_resealer.set_rotated_at(pii_rotated_at(keys));
  const bool private_targets = sandbox || config_.webhooks_allow_private_targets;
  platform_->clients.allow_private_webhook_targets(private_targets);
  outbox_worker_ = std::make_unique<services::OutboxWorker>(
      context_->clock, context_->db, context_->vault, context_->clients, context_->sms,
      [private_targets](const services::WebhookRequest& request) {
        return post_webhook(request, !private_targets);
      });
}

std::string App::audit_origin(const Config& config, const RegionPolicies& policies) {
  if (!config.audit_origin.empty()) return config.audit_origin;
  return "essc.local/" + (policies.empty() ? "essc" : policies.begin()->first);
}

std::string App::audit_origin(const Config& config, const DataDir& dir) {
  return audit_origin(config, load_region_policies(dir.policies()));
}

void App::apply_keys(const crypto::KeySet& keys) {
  qr_->reload(keys.qr_signing_keys);
  vault_->set_encryption_keys(keys.pii_key, retired_pii_keys(keys));
  platform_->pii_resealer.set_rotated_at(pii_rotated_at(keys));
  platform_->audit.rotate_key(keys.audit_log_seed, keys.retired_audit_keys);
}

void App::reseal_pii_batch() {
  // Every server of the store sees the walk done; each drops the key from its own file. A
  // file it cannot write is logged once (the periodic task's error) and the retired key
  // stays, which EsscPiiResealStalled reports.
  if (platform_->pii_resealer.run_once() && drop_retired_pii_keys(dir_, vault_->key_id())) {
    log_event(spdlog::level::info, {{"event", "pii_key_retired_removed"}});
  }
}

std::vector<services::Witness> App::audit_witnesses() const {
  std::vector<services::Witness> witnesses;
  for (const auto& [url, vkey] : config_.audit_witnesses) witnesses.push_back({url, vkey});
  return witnesses;
}

}  // namespace essc::cli
