// A real platform on a fresh store, with a manual clock and fast Argon2id parameters, for
// service and HTTP tests. The store is a SQLite database in a temporary folder, or, when
// ESSC_TEST_STORE_URL names a PostgreSQL database (.ci/run starts one), a schema of its
// own there, dropped afterwards: the same suites run on both engines.
#pragma once

#include <filesystem>
#include <map>
#include <memory>

#include "adapters/face.hpp"
#include "adapters/sandbox_bank.hpp"
#include "adapters/sandbox_sms.hpp"
#include "adapters/sms.hpp"
#include "domain/operator.hpp"
#include "services/platform.hpp"

namespace essc::testing {

// A temporary folder removed when the object goes.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

// The regions tests settle in (R-X1): Ningbo with the POLICY.md defaults, and Shanghai,
// another province, with a policy of its own. Any other region has none.
inline constexpr char kNingbo[] = "330200";
inline constexpr char kShanghai[] = "310100";
std::map<std::string, domain::RegionPolicy, std::less<>> test_region_policies();

// 2026-11-26T00:00:00Z: tests start on a fixed, known day.
inline constexpr std::int64_t kTestEpochMs = 1'795'651'200'000;

class TestPlatform {
 public:
  TestPlatform();
  ~TestPlatform();

  services::Platform& platform() { return *platform_; }
  services::Context& ctx() { return *context_; }
  ManualClock& clock() { return clock_; }
  adapters::SandboxBank& bank() { return *bank_; }
  adapters::SandboxSmsGateway& sms() { return *sms_; }
  const std::filesystem::path& dir() const { return dir_.path(); }
  std::filesystem::path database_path() const { return dir_.path() / "essc.db"; }
  // Another store on the same data, as a second server process would open it.
  std::unique_ptr<store::Database> open_database();
  // Every byte the store holds, as a dump of it would show them (R-S5 tests).
  std::string store_dump();
  // One tick of the audit log's sequencer, as a server's would run: pending entries
  // sequenced and a checkpoint signed.
  void sequence_audit();
  // Every entry of the audit log, oldest first, once sequence_audit() ran.
  std::vector<store::AuditEntry> audit_entries();
  // The schema this platform's PostgreSQL store lives in; nullopt on SQLite.
  const std::optional<std::string>& postgres_schema() const { return schema_; }
  // Not const: a test may rotate its key (R-S9).
  crypto::PiiVault& vault() const { return *vault_; }
  const crypto::QrSigner& qr() const { return *qr_; }

  // An operator made through the service, with this role (and bank for tellers).
  domain::Operator make_operator(const std::string& username, domain::OperatorRole role,
                                 std::optional<std::string> bank_code = std::nullopt);

 private:
  TempDir dir_;
  std::optional<std::string> schema_;
  ManualClock clock_{kTestEpochMs};
  std::unique_ptr<crypto::PiiVault> vault_;
  std::unique_ptr<crypto::PasswordHasher> hasher_;
  std::unique_ptr<crypto::QrSigner> qr_;
  std::unique_ptr<store::Database> db_;
  std::unique_ptr<store::RequestNonces> nonces_;
  std::unique_ptr<adapters::SandboxBank> bank_;
  adapters::SandboxFaceVerifier face_;
  std::unique_ptr<adapters::SandboxSmsGateway> sms_;
  std::unique_ptr<services::Context> context_;
  std::unique_ptr<services::Platform> platform_;
};

// Valid GB 11643 numbers for tests (check characters computed, birth dates real).
std::string make_id_number(const std::string& first17);

inline constexpr char kOperatorPassword[] = "counter-pass-2026";

// The 6-digit code in a verification SMS ("…验证码为123456，…"); empty when there is none.
std::string sms_code_in(const std::string& text);

}  // namespace essc::testing
