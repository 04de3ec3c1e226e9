#include "support/test_platform.hpp"

#include <cstdlib>
#include <fstream>
#include <stdexcept>
#include <vector>

#include "common/limits.hpp"
#include "crypto/encoding.hpp"
#include "crypto/keys.hpp"
#include "crypto/random.hpp"
#include "crypto/sodium.hpp"
#include "store/nonce_store.hpp"
#include "store/operator_repository.hpp"
#include "store/postgres_database.hpp"
#include "store/postgres_nonces.hpp"
#include "store/sqlite_database.hpp"

namespace essc::testing {

TempDir::TempDir() {
  const char* base = std::getenv("ESSC_TEST_TMP");
  std::filesystem::path root = base ? base : std::filesystem::temp_directory_path();
  std::filesystem::create_directories(root);
  std::string pattern = (root / "essc-XXXXXX").string();
  if (!::mkdtemp(pattern.data())) throw std::runtime_error("mkdtemp failed");
  path_ = pattern;
}

TempDir::~TempDir() {
  std::error_code ignored;
  std::filesystem::remove_all(path_, ignored);
}

namespace {

const char* postgres_url() { return std::getenv("ESSC_TEST_STORE_URL"); }

}  // namespace

TestPlatform::TestPlatform() {
  crypto::initialize_sodium();
  if (const char* url = postgres_url()) {
    schema_ = "t_" + crypto::to_hex(crypto::random_bytes(8));
    store::PostgresConnection(store::PostgresTarget{url, std::nullopt, std::nullopt})
        .exec("CREATE SCHEMA " + *schema_);
  }
  const auto keys = crypto::KeySet::generate(clock_.now_ms());
  vault_ = std::make_unique<crypto::PiiVault>(keys.pii_key, keys.blind_index_key);
  // Argon2id at its smallest: tests check behaviour, not hashing cost.
  hasher_ =
      std::make_unique<crypto::PasswordHasher>(keys.password_pepper, crypto::Argon2Params{1, 8, 4});
  qr_ = std::make_unique<crypto::QrSigner>(keys.qr_signing_keys);
  db_ = open_database();
  if (schema_) {
    nonces_ = std::make_unique<store::PostgresNonces>(
        store::PostgresTarget{postgres_url(), std::nullopt, schema_}, 4);
  } else {
    nonces_ = std::make_unique<store::NonceStore>(clock_.now_ms());
  }
  bank_ =
      std::make_unique<adapters::SandboxBank>((dir_.path() / "sandbox_bank.db").string(), *vault_);
  sms_ = std::make_unique<adapters::SandboxSmsGateway>((dir_.path() / "sandbox_sms.db").string(),
                                                       [this] { return clock_.now_ms(); });
  context_ = std::make_unique<services::Context>(clock_, *db_, *nonces_, *vault_, *hasher_, *qr_,
                                                 *bank_, face_, *sms_);
  platform_ = std::make_unique<services::Platform>(
      *context_, services::AuditLogKey{"essc.test/log", keys.audit_log_seed, {}}, sms_.get(),
      test_region_policies());
  // Like --sandbox: the tests' webhook receivers listen on loopback.
  platform_->clients.allow_private_webhook_targets(true);
}

void TestPlatform::sequence_audit() {
  services::AuditSequencer sequencer(context_->clock, context_->db, platform_->audit,
                                     platform_->checkpoint_delays);
  if (!sequencer.sequence()) throw std::runtime_error("another sequencer holds the audit log");
}

std::vector<store::AuditEntry> TestPlatform::audit_entries() {
  sequence_audit();
  std::vector<store::AuditEntry> all;
  services::AuditQuery query;
  query.limit = limits::kPageSizeMax;
  for (;;) {
    auto page = platform_->audit.list(query);
    all.insert(all.end(), page.items.begin(), page.items.end());
    if (!page.next_after_seq) return all;
    query.after_seq = *page.next_after_seq;
  }
}

TestPlatform::~TestPlatform() {
  platform_.reset();
  context_.reset();
  db_.reset();
  if (!schema_) return;
  try {
    store::PostgresConnection(store::PostgresTarget{postgres_url(), std::nullopt, std::nullopt})
        .exec("DROP SCHEMA " + *schema_ + " CASCADE");
  } catch (const store::StoreError&) {
  }
}

std::map<std::string, domain::RegionPolicy, std::less<>> test_region_policies() {
  domain::RegionPolicy shanghai;
  shanghai.outpatient_deductible_fen = 150000;
  shanghai.outpatient_fund_ratio_bp = 7000;
  domain::RegionPolicy ningbo;
  ningbo.item_limits.push_back({"YP-ATV-20", 60, 30});  // POLICY.md "Quantity limits"
  // The tests settle one card many times a minute; R-K3's own tests set its thresholds.
  for (auto* policy : {&shanghai, &ningbo}) {
    policy->risk.settlements_per_hour_max = 10000;
    policy->risk.institutions_per_day_max = 10000;
  }
  return {{kNingbo, ningbo}, {kShanghai, shanghai}};
}

std::unique_ptr<store::Database> TestPlatform::open_database() {
  if (schema_) {
    return std::make_unique<store::PostgresDatabase>(
        store::PostgresTarget{postgres_url(), std::nullopt, schema_}, 4, clock_);
  }
  return std::make_unique<store::SqliteDatabase>(database_path().string(), clock_);
}

std::string TestPlatform::store_dump() {
  std::string dump;
  for (const auto& file : std::filesystem::directory_iterator(dir_.path())) {
    std::ifstream in(file.path(), std::ios::binary);
    dump.append(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  }
  if (!schema_) return dump;
  // Each row as PostgreSQL's text of it, bytea in hex: plaintext would show in the hex too.
  store::PostgresConnection c(store::PostgresTarget{postgres_url(), std::nullopt, schema_});
  static constexpr char kTables[] =
      "SELECT table_name FROM information_schema.tables WHERE table_schema = ?";
  std::vector<std::string> tables;
  auto& list = c.prepare(kTables).bind_all(*schema_);
  while (list.step()) tables.push_back(list.text(0));
  list.reset();
  for (const auto& table : tables) {
    c.exec(
        "CREATE TEMP TABLE IF NOT EXISTS dump_rows (line TEXT); TRUNCATE dump_rows; "
        "INSERT INTO dump_rows SELECT t::text FROM " +
        *schema_ + "." + table + " t");
    static constexpr char kRows[] = "SELECT line FROM dump_rows";
    auto& rows = c.prepare(kRows);
    while (rows.step()) {
      const auto line = rows.text(0);
      dump += line;
      // bytea columns print as \x<hex>: decode every hex run so sealed bytes are searched as bytes.
      for (auto at = line.find("\\x"); at != std::string::npos; at = line.find("\\x", at + 2)) {
        auto end = line.find_first_not_of("0123456789abcdef", at + 2);
        if (auto bytes = crypto::from_hex(
                line.substr(at + 2, (end == std::string::npos ? line.size() : end) - at - 2))) {
          dump += *bytes;
        }
      }
    }
    rows.reset();
  }
  return dump;
}

domain::Operator TestPlatform::make_operator(const std::string& username, domain::OperatorRole role,
                                             std::optional<std::string> bank_code) {
  services::NewOperator request{username, kOperatorPassword, std::string(domain::to_string(role)),
                                std::move(bank_code)};
  auto op = platform_->operators.add(services::Actor::command_line(), request);
  if (!op)
    throw std::runtime_error("make_operator failed: " +
                             std::string(error_code_name(op.error().code)));
  return *op;
}

std::string sms_code_in(const std::string& text) {
  static const std::string kMarker = "验证码为";
  const auto at = text.find(kMarker);
  return at == std::string::npos ? "" : text.substr(at + kMarker.size(), 6);
}

std::string make_id_number(const std::string& first17) {
  static constexpr int kWeights[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
  static constexpr char kCheck[] = "10X98765432";
  int sum = 0;
  for (int i = 0; i < 17; ++i) sum += (first17[static_cast<std::size_t>(i)] - '0') * kWeights[i];
  return first17 + kCheck[sum % 11];
}

}  // namespace essc::testing
