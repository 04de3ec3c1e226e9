#include "store/insurance_repository.hpp"

#include <algorithm>

namespace essc::store {
namespace {

constexpr char kFind[] =
    "SELECT base_fen, employer_fen, personal_fen, region_code FROM insurance_records "
    "WHERE person_id = ? AND insurance = ? AND period = ? AND employer_name = ?";
constexpr char kInsert[] =
    "INSERT INTO insurance_records (person_id, insurance, period, employer_name, base_fen, "
    "employer_fen, personal_fen, region_code, added_at_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)";
// Periods are "YYYY-MM", so text order is month order.
constexpr char kOfPerson[] =
    "SELECT insurance, period, employer_name, base_fen, employer_fen, personal_fen, region_code "
    "FROM insurance_records WHERE person_id = ? AND period >= ? AND period <= ? "
    "ORDER BY insurance, period, employer_name";

}  // namespace

InsuranceFeed feed_insurance_record(Connection& c, std::int64_t person_id,
                                    const domain::InsuranceRecord& r, std::int64_t now_ms) {
  const auto insurance = domain::to_string(r.insurance);
  const auto period = r.period.str();
  const auto held = c.prepare(kFind)
                        .bind_all(person_id, insurance, period, r.employer_name)
                        .first([&](const Statement& s) {
                          return s.int64(0) == r.base_fen && s.int64(1) == r.employer_fen &&
                                 s.int64(2) == r.personal_fen && s.text(3) == r.region_code;
                        });
  if (held) return *held ? InsuranceFeed::kUnchanged : InsuranceFeed::kConflict;
  c.prepare(kInsert)
      .bind_all(person_id, insurance, period, r.employer_name, r.base_fen, r.employer_fen,
                r.personal_fen, r.region_code, now_ms)
      .run();
  return InsuranceFeed::kAdded;
}

std::vector<domain::InsuranceRecord> insurance_records_of(Connection& c, std::int64_t person_id,
                                                          std::optional<domain::Period> from,
                                                          std::optional<domain::Period> to) {
  const std::string low = from ? from->str() : std::string("0000-00");
  const std::string high = to ? to->str() : std::string("9999-99");
  std::vector<domain::InsuranceRecord> out;
  auto& s = c.prepare(kOfPerson).bind_all(person_id, low, high);
  while (s.step()) {
    const auto kind = domain::parse_insurance_kind(s.text(0));
    const auto month = domain::parse_month(s.text(1));
    if (!kind || !month) continue;  // written only through parse_insurance_record
    out.push_back({*kind, *month, s.int64(3), s.int64(4), s.int64(5), s.text(2), s.text(6)});
  }
  s.reset();
  // The store orders insurance names alphabetically; lists show them in the law's order.
  std::stable_sort(out.begin(), out.end(), [](const auto& a, const auto& b) {
    return static_cast<int>(a.insurance) < static_cast<int>(b.insurance);
  });
  return out;
}

}  // namespace essc::store
