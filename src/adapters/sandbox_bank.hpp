// A bank for sandbox mode and tests: balances per account in its own SQLite file
// (`sandbox_bank.db` in the data folder), standing in for the issuing banks. Accounts are
// keyed by the SHA-256 of their number so the file holds no account number in clear.
//
// Thread safety: all methods are safe from any thread (one connection behind a mutex).
#pragma once

#include <mutex>
#include <string>

#include "adapters/bank.hpp"
#include "store/sqlite.hpp"

namespace essc::adapters {

class SandboxBank final : public Bank {
 public:
  explicit SandboxBank(const std::string& path);

  Result<bool> four_factor_check(const FourFactors& presented, const FourFactors& on_file) override;
  Status credit(std::string_view account_no, std::int64_t amount_fen,
                std::string_view reference) override;
  Status debit(std::string_view account_no, std::int64_t amount_fen,
               std::string_view reference) override;

  // Adds money to an account (`essc sandbox fund`); returns the new balance.
  std::int64_t fund(std::string_view account_no, std::int64_t amount_fen);
  std::int64_t balance_fen(std::string_view account_no);

 private:
  Status move(std::string_view account_no, std::int64_t delta_fen, std::string_view reference);
  std::mutex mutex_;
  store::Connection connection_;
};

}  // namespace essc::adapters
