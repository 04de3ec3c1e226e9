// The insurance history (参保缴费记录, R-R1) as the HR and tax systems feed it: per
// person, insurance, month and employer. Feeding is idempotent, and a request or an
// import that holds one conflicting record adds nothing.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/clock.hpp"
#include "crypto/pii_vault.hpp"
#include "domain/insurance_record.hpp"
#include "services/context.hpp"
#include "services/ecards.hpp"
#include "store/database.hpp"

namespace essc::services {

struct InsuranceFeedCount {
  std::int64_t added = 0;
  std::int64_t unchanged = 0;
};

// One row of a bulk import (`essc import insurance-records`): its line in the file, the
// person, and the record as read, or why the row could not be read at all.
struct ImportRow {
  std::int64_t line = 0;
  std::string id_number;
  domain::InsuranceRecordInput input;
  std::optional<std::string> unreadable;  // e.g. "7 fields, 8 expected"
};

// Where an import's rows come from, read once per attempt of its transaction (PostgreSQL
// may run a transaction again): rewind() starts over, next() gives rows in file order.
class ImportSource {
 public:
  virtual ~ImportSource() = default;
  virtual void rewind() = 0;
  virtual std::optional<ImportRow> next() = 0;
};

struct BadImportRow {
  std::int64_t line = 0;
  std::string reason;  // the error code and field, or why the row is unreadable
};

struct ImportReport {
  std::int64_t rows = 0;
  InsuranceFeedCount count;
  std::vector<BadImportRow> bad;  // every bad row, by line; none when imported
};

// One insurance of the cardholder's history (社保查询, R-R2): every month held, oldest
// first, what they add up to and the current status (domain::insurance_status).
struct InsuranceHistory {
  domain::InsuranceKind insurance = domain::InsuranceKind::kPension;
  std::vector<domain::InsuranceRecord> months;
  domain::InsuranceSummary summary;
  std::string status;
};

class InsuranceRecords {
 public:
  InsuranceRecords(const Clock& clock, store::Database& db, const crypto::PiiVault& vault)
      : clock_(clock), db_(db), vault_(vault) {}

  // POST /v1/persons/{id_number}/insurance-records: 1…kInsuranceRecordsPerRequestMax
  // items, checked in order (the first bad one answers, named `items[i].field`), then
  // fed in one transaction: CONFLICT naming `items[i]` when one differs from the record
  // held for its insurance, month and employer, and then nothing is added. NOT_FOUND for
  // a person not registered.
  Result<InsuranceFeedCount> add(const Actor& actor, std::string_view id_number,
                                 const std::vector<domain::InsuranceRecordInput>& items);

  // 社保查询 (R-R2): the cardholder's five insurances in the law's order, each with its
  // months (empty when never paid); any binding of the channel reads it (level 1).
  std::vector<InsuranceHistory> history(const BindingView& holder);

  // A bulk import in one transaction, streaming: every row is checked and fed as it comes
  // (its person known, its fields as add() checks them, no conflict with what is held or
  // with an earlier row). One bad row and nothing is imported: the report then lists
  // every bad row and the answer is that report with `bad` not empty (the transaction
  // rolled back). Feeding is idempotent, so importing the same file again adds nothing.
  Result<ImportReport> import(const Actor& actor, ImportSource& source);

 private:
  const Clock& clock_;
  store::Database& db_;
  const crypto::PiiVault& vault_;
};

}  // namespace essc::services
