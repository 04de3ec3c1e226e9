#include "services/insurance.hpp"

#include <unordered_map>

#include "common/clock.hpp"
#include "common/limits.hpp"
#include "common/masking.hpp"
#include "domain/id_number.hpp"
#include "store/audit_log.hpp"
#include "store/insurance_repository.hpp"
#include "store/person_repository.hpp"

namespace essc::services {
namespace {

// Counts what feeding one record did; false for a conflict.
bool tally(store::InsuranceFeed feed, InsuranceFeedCount& count) {
  if (feed == store::InsuranceFeed::kConflict) return false;
  ++(feed == store::InsuranceFeed::kAdded ? count.added : count.unchanged);
  return true;
}

}  // namespace

Result<InsuranceFeedCount> InsuranceRecords::add(
    const Actor& actor, std::string_view id_number,
    const std::vector<domain::InsuranceRecordInput>& items) {
  auto id = domain::IdNumber::parse(id_number);
  if (!id) return std::move(id).error();
  if (items.empty() || items.size() > limits::kInsuranceRecordsPerRequestMax) {
    return Error::invalid_field("items");
  }
  std::vector<domain::InsuranceRecord> records;
  records.reserve(items.size());
  for (std::size_t i = 0; i < items.size(); ++i) {
    auto record = domain::parse_insurance_record(items[i], "items[" + std::to_string(i) + "].");
    if (!record) return std::move(record).error();
    records.push_back(std::move(*record));
  }
  const auto now = clock_.now_ms();
  return db_.write<InsuranceFeedCount>([&](store::Connection& c) -> Result<InsuranceFeedCount> {
    const auto person = store::find_person_by_id_number(c, vault_, id->str());
    if (!person) return Error(ErrorCode::kNotFound, "no such person");
    InsuranceFeedCount count;
    for (std::size_t i = 0; i < records.size(); ++i) {
      if (!tally(store::feed_insurance_record(c, person->person_id, records[i], now), count)) {
        return Error::with_field(ErrorCode::kConflict, "items[" + std::to_string(i) + "]");
      }
    }
    if (count.added > 0) {
      store::append_audit(c, now, actor.audit_name, "insurance.feed",
                          mask_id_number(person->id_number), "ok", person->person_id);
    }
    return count;
  });
}

std::vector<InsuranceHistory> InsuranceRecords::history(const BindingView& holder) {
  const auto records = db_.read([&](store::Connection& c) {
    return store::insurance_records_of(c, holder.person.person_id);
  });
  const auto this_month = *domain::parse_month(format_cst_date(clock_.now_ms()).substr(0, 7));
  std::vector<InsuranceHistory> out;
  for (const auto kind : domain::kInsuranceKinds) {
    InsuranceHistory h;
    h.insurance = kind;
    for (const auto& r : records) {
      if (r.insurance == kind) h.months.push_back(r);
    }
    h.summary = domain::summarize(h.months);
    h.status = std::string(domain::insurance_status(h.summary, this_month));
    out.push_back(std::move(h));
  }
  return out;
}

namespace {

std::string describe(const Error& e) {
  std::string out(error_code_name(e.code));
  if (e.extras.field) out += " " + *e.extras.field;
  return out;
}

}  // namespace

Result<ImportReport> InsuranceRecords::import(const Actor& actor, ImportSource& source) {
  const auto now = clock_.now_ms();
  ImportReport report;
  auto imported = db_.write<ImportReport>([&](store::Connection& c) -> Result<ImportReport> {
    report = {};
    source.rewind();
    // A feed lists a person's months together: each person is looked up once.
    std::unordered_map<std::string, std::int64_t> person_ids;
    while (auto row = source.next()) {
      ++report.rows;
      const auto bad = [&](std::string reason) {
        report.bad.push_back({row->line, std::move(reason)});
      };
      if (row->unreadable) {
        bad(*row->unreadable);
        continue;
      }
      auto id = domain::IdNumber::parse(row->id_number);
      if (!id) {
        bad(describe(id.error()));
        continue;
      }
      auto record = domain::parse_insurance_record(row->input);
      if (!record) {
        bad(describe(record.error()));
        continue;
      }
      auto known = person_ids.find(id->str());
      if (known == person_ids.end()) {
        const auto person = store::find_person_by_id_number(c, vault_, id->str());
        if (!person) {
          bad("NOT_FOUND id_number");
          continue;
        }
        known = person_ids.emplace(id->str(), person->person_id).first;
      }
      // Fed even after a bad row (the transaction then rolls back), so that conflicts
      // further on are reported too.
      if (!tally(store::feed_insurance_record(c, known->second, *record, now), report.count)) {
        bad("CONFLICT");
      }
    }
    if (!report.bad.empty()) {
      return Error(ErrorCode::kInvalidRequest, std::to_string(report.bad.size()) + " bad rows");
    }
    store::append_audit(c, now, actor.audit_name, "insurance.import",
                        "rows=" + std::to_string(report.rows), "ok");
    return report;
  });
  if (!imported && report.bad.empty()) return std::move(imported).error();
  return report;
}

}  // namespace essc::services
