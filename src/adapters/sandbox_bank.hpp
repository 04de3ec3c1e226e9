// A bank for sandbox mode and tests: balances per account in its own SQLite file
// (`sandbox_bank.db` in the data folder), standing in for the issuing banks. Accounts are
// keyed by a keyed blind index of their number (the PII vault's), so neither the file nor
// a dictionary of the 10^19 account numbers' plain hashes reveals one (R-S5).
//
// Thread safety: all methods are safe from any thread (one connection behind a mutex).
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "adapters/bank.hpp"
#include "crypto/pii_vault.hpp"

namespace essc::store {
class SqliteConnection;
}  // namespace essc::store

namespace essc::adapters {

class SandboxBank final : public Bank {
 public:
  // `vault` must outlive the bank.
  SandboxBank(const std::string& path, const crypto::PiiVault& vault);
  ~SandboxBank() override;
  SandboxBank(const SandboxBank&) = delete;
  SandboxBank& operator=(const SandboxBank&) = delete;

  Result<bool> four_factor_check(const FourFactors& presented, const FourFactors& on_file) override;
  Status credit(std::string_view account_no, std::int64_t amount_fen,
                std::string_view reference) override;
  Status debit(std::string_view account_no, std::int64_t amount_fen,
               std::string_view reference) override;

  // Adds money to an account (`essc sandbox fund`); returns the new balance.
  std::int64_t fund(std::string_view account_no, std::int64_t amount_fen);
  std::int64_t balance_fen(std::string_view account_no);
  // The account's statement: every credit (+) and debit (−) applied, oldest first.
  std::vector<std::int64_t> movements_fen(std::string_view account_no);

 private:
  Status move(std::string_view account_no, std::int64_t delta_fen, std::string_view reference);
  std::string account_key(std::string_view account_no) const;

  const crypto::PiiVault& vault_;
  std::mutex mutex_;
  std::unique_ptr<store::SqliteConnection> connection_;
};

}  // namespace essc::adapters
