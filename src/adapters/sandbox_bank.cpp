#include "adapters/sandbox_bank.hpp"

#include "crypto/encoding.hpp"
#include "store/sqlite.hpp"

namespace essc::adapters {
namespace {

constexpr char kSchema[] =
    "CREATE TABLE IF NOT EXISTS accounts (account_key TEXT PRIMARY KEY, balance_fen BIGINT NOT "
    "NULL);"
    "CREATE TABLE IF NOT EXISTS movements (reference TEXT PRIMARY KEY, account_key TEXT NOT NULL, "
    "amount_fen BIGINT NOT NULL)";
constexpr char kBalance[] = "SELECT balance_fen FROM accounts WHERE account_key = ?";
constexpr char kAdd[] =
    "INSERT INTO accounts (account_key, balance_fen) VALUES (?, ?) ON CONFLICT (account_key) "
    "DO UPDATE SET balance_fen = accounts.balance_fen + excluded.balance_fen";
constexpr char kSeen[] = "SELECT 1 FROM movements WHERE reference = ?";
constexpr char kRecord[] =
    "INSERT INTO movements (reference, account_key, amount_fen) VALUES (?, ?, ?)";

constexpr char kMovements[] =
    "SELECT amount_fen FROM movements WHERE account_key = ? ORDER BY rowid";

}  // namespace

SandboxBank::SandboxBank(const std::string& path, const crypto::PiiVault& vault)
    : vault_(vault),
      connection_(std::make_unique<store::SqliteConnection>(path, /*synchronous_full=*/true)) {
  connection_->exec(kSchema);
}

SandboxBank::~SandboxBank() = default;

std::string SandboxBank::account_key(std::string_view account_no) const {
  return crypto::to_hex(vault_.blind_index("sandbox_bank_account", account_no));
}

std::vector<std::int64_t> SandboxBank::movements_fen(std::string_view account_no) {
  std::lock_guard lock(mutex_);
  std::vector<std::int64_t> out;
  auto& rows = connection_->prepare(kMovements).bind_all(account_key(account_no));
  while (rows.step()) out.push_back(rows.int64(0));
  rows.reset();
  return out;
}

Result<bool> SandboxBank::four_factor_check(const FourFactors& presented,
                                            const FourFactors& on_file) {
  return presented.name == on_file.name && presented.id_number == on_file.id_number &&
         presented.bank_account_no == on_file.bank_account_no && presented.phone == on_file.phone;
}

Status SandboxBank::credit(std::string_view account_no, std::int64_t amount_fen,
                           std::string_view reference) {
  return move(account_no, amount_fen, reference);
}

Status SandboxBank::debit(std::string_view account_no, std::int64_t amount_fen,
                          std::string_view reference) {
  return move(account_no, -amount_fen, reference);
}

Status SandboxBank::move(std::string_view account_no, std::int64_t delta_fen,
                         std::string_view reference) {
  std::lock_guard lock(mutex_);
  const std::string key = account_key(account_no);
  if (connection_->prepare(kSeen).bind_all(reference).first(
          [](const store::Statement&) { return true; })) {
    return {};  // already applied: a repeated call is answered as the first was
  }
  const std::int64_t balance = connection_->prepare(kBalance)
                                   .bind_all(key)
                                   .first([](const store::Statement& s) { return s.int64(0); })
                                   .value_or(0);
  if (balance + delta_fen < 0) return Error(ErrorCode::kInsufficientFunds);
  connection_->exec("BEGIN IMMEDIATE");
  try {
    connection_->prepare(kAdd).bind_all(key, delta_fen).run();
    connection_->prepare(kRecord).bind_all(reference, key, delta_fen).run();
    connection_->exec("COMMIT");
  } catch (const store::StoreError& e) {
    connection_->exec("ROLLBACK");
    return Error(ErrorCode::kUnavailable, e.what());
  }
  return {};
}

std::int64_t SandboxBank::fund(std::string_view account_no, std::int64_t amount_fen) {
  std::lock_guard lock(mutex_);
  const std::string key = account_key(account_no);
  connection_->prepare(kAdd).bind_all(key, amount_fen).run();
  return connection_->prepare(kBalance)
      .bind_all(key)
      .first([](const store::Statement& s) { return s.int64(0); })
      .value_or(0);
}

std::int64_t SandboxBank::balance_fen(std::string_view account_no) {
  std::lock_guard lock(mutex_);
  return connection_->prepare(kBalance)
      .bind_all(account_key(account_no))
      .first([](const store::Statement& s) { return s.int64(0); })
      .value_or(0);
}

}  // namespace essc::adapters
