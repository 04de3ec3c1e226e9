#include "support/test_platform.hpp"

#include <cstdlib>
#include <stdexcept>

#include "crypto/keys.hpp"
#include "crypto/sodium.hpp"
#include "store/operator_repository.hpp"
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

TestPlatform::TestPlatform() {
  crypto::initialize_sodium();
  const auto keys = crypto::KeySet::generate(clock_.now_ms());
  vault_ = std::make_unique<crypto::PiiVault>(keys.pii_key, keys.blind_index_key);
  // Argon2id at its smallest: tests check behaviour, not hashing cost.
  hasher_ = std::make_unique<crypto::PasswordHasher>(keys.password_pepper, crypto::Argon2Params{1, 8, 4});
  qr_ = std::make_unique<crypto::QrSigner>(keys.qr_signing_keys);
  db_ = open_database();
  nonces_ = std::make_unique<store::NonceStore>(clock_.now_ms());
  bank_ = std::make_unique<adapters::SandboxBank>((dir_.path() / "sandbox_bank.db").string(), *vault_);
  sms_ = std::make_unique<adapters::SandboxSmsGateway>([this] { return clock_.now_ms(); });
  context_ = std::make_unique<services::Context>(clock_, *db_, *nonces_, *vault_, *hasher_, *qr_, *bank_, face_, *sms_);
  platform_ = std::make_unique<services::Platform>(*context_, sms_.get(), test_region_policies());
}

TestPlatform::~TestPlatform() = default;

std::map<std::string, domain::RegionPolicy, std::less<>> test_region_policies() {
  domain::RegionPolicy shanghai;
  shanghai.outpatient_deductible_fen = 150000;
  shanghai.outpatient_fund_ratio_bp = 7000;
  return {{kNingbo, domain::RegionPolicy{}}, {kShanghai, shanghai}};
}

std::unique_ptr<store::Database> TestPlatform::open_database() {
  return std::make_unique<store::SqliteDatabase>(database_path().string(), clock_);
}

store::OperatorRecord TestPlatform::make_operator(const std::string& username, store::OperatorRole role,
                                                  std::optional<std::string> bank_code) {
  services::NewOperator request{username, kOperatorPassword, std::string(store::to_string(role)),
                                std::move(bank_code)};
  auto op = platform_->operators.add(services::Actor::command_line(), request);
  if (!op) throw std::runtime_error("make_operator failed: " + std::string(error_code_name(op.error().code)));
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
