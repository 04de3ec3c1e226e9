// Bank credits the platform owes a cardholder until it knows they are done (R-U4, R-U5):
// the reversal of a self-pay debit until the settlement it paid for commits, and a
// refund's credit until the bank confirms it. The bank call and the database cannot
// share a transaction, so the row is written first and removed once the money is where
// it belongs; a row that outlives its request (a crash, an unreachable bank) is completed
// at start-up (BankTransfers::complete_due, services/bank_transfers.hpp).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "crypto/pii_vault.hpp"
#include "store/sql.hpp"

namespace essc::store {

struct DueBankTransfer {
  std::string reference;   // the credit's bank reference
  std::string account_no;  // stored sealed (R-S5)
  std::int64_t amount_fen = 0;
  std::optional<std::string> undoes;  // the debit this credit reverses, if it reverses one
  std::int64_t created_at_ms = 0;
};

void insert_due_bank_transfer(Connection& c, const crypto::PiiVault& vault,
                              const DueBankTransfer& t);
void delete_due_bank_transfer(Connection& c, std::string_view reference);
// Oldest first; a row whose account cannot be unsealed (another key) is left out.
std::vector<DueBankTransfer> due_bank_transfers(Connection& c, const crypto::PiiVault& vault);

}  // namespace essc::store
