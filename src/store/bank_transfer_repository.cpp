#include "store/bank_transfer_repository.hpp"

namespace essc::store {
namespace {

constexpr char kInsert[] =
    "INSERT INTO due_bank_transfers (reference, account_sealed, amount_fen, undoes, created_at_ms) "
    "VALUES (?, ?, ?, ?, ?)";
constexpr char kDelete[] = "DELETE FROM due_bank_transfers WHERE reference = ?";
constexpr char kAll[] =
    "SELECT reference, account_sealed, amount_fen, undoes, created_at_ms FROM due_bank_transfers "
    "ORDER BY created_at_ms";
constexpr char kAccountField[] = "bank_account_no";

}  // namespace

void insert_due_bank_transfer(Connection& c, const crypto::PiiVault& vault,
                              const DueBankTransfer& t) {
  auto& s = c.prepare(kInsert);
  s.bind(1, t.reference)
      .bind_blob(2, vault.seal(kAccountField, t.account_no))
      .bind(3, t.amount_fen)
      .bind(4, t.undoes)
      .bind(5, t.created_at_ms);
  s.run();
}

void delete_due_bank_transfer(Connection& c, std::string_view reference) {
  c.prepare(kDelete).bind_all(reference).run();
}

std::vector<DueBankTransfer> due_bank_transfers(Connection& c, const crypto::PiiVault& vault) {
  std::vector<DueBankTransfer> out;
  auto& s = c.prepare(kAll);
  while (s.step()) {
    if (auto account = vault.open(kAccountField, s.blob(1))) {
      out.push_back({s.text(0), std::move(*account), s.int64(2), s.optional_text(3), s.int64(4)});
    }
  }
  return out;
}

}  // namespace essc::store
