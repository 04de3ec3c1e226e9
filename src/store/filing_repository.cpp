#include "store/filing_repository.hpp"

namespace essc::store {
namespace {

constexpr char kInsert[] =
    "INSERT INTO region_filings (filing_id, person_id, treatment_region, from_day, to_day, "
    "created_by, "
    "created_at_ms) VALUES (?, ?, ?, ?, ?, ?, ?)";
constexpr char kOfPerson[] =
    "SELECT filing_id, person_id, treatment_region, from_day, to_day, created_by, created_at_ms "
    "FROM region_filings WHERE person_id = ? ORDER BY from_day, filing_id";
// Days are YYYY-MM-DD, so text order is date order.
constexpr char kCovers[] =
    "SELECT COUNT(*) FROM region_filings WHERE person_id = ? AND treatment_region = ? AND from_day "
    "<= ? "
    "AND to_day >= ?";
constexpr char kFind[] =
    "SELECT COUNT(*) FROM region_filings WHERE person_id = ? AND filing_id = ?";
constexpr char kDelete[] = "DELETE FROM region_filings WHERE person_id = ? AND filing_id = ?";

std::int64_t count(Statement& s) {
  return s.first([](const Statement& row) { return row.int64(0); }).value_or(0);
}

}  // namespace

void insert_filing(Connection& c, const domain::Filing& f) {
  c.prepare(kInsert)
      .bind_all(f.filing_id, f.person_id, f.treatment_region, f.from_day, f.to_day, f.created_by,
                f.created_at_ms)
      .run();
}

std::vector<domain::Filing> filings_of_person(Connection& c, std::int64_t person_id) {
  std::vector<domain::Filing> out;
  auto& s = c.prepare(kOfPerson).bind_all(person_id);
  while (s.step())
    out.push_back({s.text(0), s.int64(1), s.text(2), s.text(3), s.text(4), s.text(5), s.int64(6)});
  return out;
}

bool filing_covers(Connection& c, std::int64_t person_id, std::string_view treatment_region,
                   std::string_view day) {
  return count(c.prepare(kCovers).bind_all(person_id, treatment_region, day, day)) > 0;
}

bool delete_filing(Connection& c, std::int64_t person_id, std::string_view filing_id) {
  if (count(c.prepare(kFind).bind_all(person_id, filing_id)) == 0) return false;
  c.prepare(kDelete).bind_all(person_id, filing_id).run();
  return true;
}

}  // namespace essc::store
