// The issuing bank, as the platform sees it: credits (benefits, R-U6) and debits
// (contributions and self-pay, R-U5) of a card's bank account.
//
// Every movement carries the platform's reference; a bank applies a reference at most
// once, so a call repeated after a timeout or crash never moves money twice.
// Thread safety: implementations are safe to call from any thread.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "common/result.hpp"

namespace essc::adapters {

// What the cardholder typed for the four-factor check, and what the platform holds of the
// card's financial record (the sandbox compares the two; a real bank checks its own).
struct FourFactors {
  std::string name;
  std::string id_number;
  std::string bank_account_no;
  std::string phone;
};

class Bank {
 public:
  virtual ~Bank() = default;
  // R-E4: true when the bank confirms the four factors, false when they do not match;
  // UNAVAILABLE when the bank cannot be reached.
  virtual Result<bool> four_factor_check(const FourFactors& presented,
                                         const FourFactors& on_file) = 0;
  // UNAVAILABLE when the bank cannot be reached.
  virtual Status credit(std::string_view account_no, std::int64_t amount_fen,
                        std::string_view reference) = 0;
  // INSUFFICIENT_FUNDS when the balance cannot cover it; UNAVAILABLE when unreachable.
  virtual Status debit(std::string_view account_no, std::int64_t amount_fen,
                       std::string_view reference) = 0;
};

// The bank of a server that runs without a configured bank connection: it refuses
// every movement with UNAVAILABLE, so money is never recorded as moved when it was not.
class UnconfiguredBank final : public Bank {
 public:
  Result<bool> four_factor_check(const FourFactors&, const FourFactors&) override {
    return Error(ErrorCode::kUnavailable, "no bank adapter is configured");
  }
  Status credit(std::string_view, std::int64_t, std::string_view) override {
    return Error(ErrorCode::kUnavailable, "no bank adapter is configured");
  }
  Status debit(std::string_view, std::int64_t, std::string_view) override {
    return Error(ErrorCode::kUnavailable, "no bank adapter is configured");
  }
};

}  // namespace essc::adapters
