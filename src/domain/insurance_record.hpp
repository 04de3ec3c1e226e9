// One month of one social insurance as the HR and tax systems feed it (参保缴费记录,
// R-R1): the insurance, the month, the contribution base, the employer's and the
// person's amounts in fen, the employer and the region it was paid in.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/result.hpp"
#include "domain/period.hpp"

namespace essc::domain {

// The five insurances of an employee (五险), in the order every list shows them.
enum class InsuranceKind { kPension, kMedical, kUnemployment, kWorkInjury, kMaternity };
inline constexpr std::array<InsuranceKind, 5> kInsuranceKinds{
    InsuranceKind::kPension, InsuranceKind::kMedical, InsuranceKind::kUnemployment,
    InsuranceKind::kWorkInjury, InsuranceKind::kMaternity};
std::optional<InsuranceKind> parse_insurance_kind(std::string_view text);
std::string_view to_string(InsuranceKind kind);     // pension | medical | …
std::string_view chinese_name(InsuranceKind kind);  // 职工基本养老保险 …

struct InsuranceRecord {
  InsuranceKind insurance = InsuranceKind::kPension;
  Period period;  // a month
  std::int64_t base_fen = 0;
  std::int64_t employer_fen = 0;
  std::int64_t personal_fen = 0;
  std::string employer_name;
  std::string region_code;

  // The same month of the same insurance with the same employer: one record.
  bool same_key(const InsuranceRecord& o) const {
    return insurance == o.insurance && period == o.period && employer_name == o.employer_name;
  }
  friend bool operator==(const InsuranceRecord&, const InsuranceRecord&) = default;
};

// A record as it arrives (JSON item or CSV row), its fields still text and numbers.
struct InsuranceRecordInput {
  std::string insurance;
  std::string period;
  std::int64_t base_fen = 0;
  std::int64_t employer_fen = 0;
  std::int64_t personal_fen = 0;
  std::string employer_name;
  std::string region_code;
};

// Checks the fields in a fixed order (insurance, period, base_fen, employer_fen,
// personal_fen, employer_name, region_code) and answers the first that is wrong, named
// `field_prefix` + its name: INVALID_REQUEST for the texts, INVALID_AMOUNT for an amount
// below zero or above the limit, or an amount above the base.
Result<InsuranceRecord> parse_insurance_record(const InsuranceRecordInput& in,
                                               std::string_view field_prefix = {});

// Months not paid between two paid ones (断缴), from and to inclusive.
struct InsuranceGap {
  Period from;
  Period to;
  std::int64_t months = 0;
};

// What one insurance's records add up to (R-R2, R-R3). A month paid through two
// employers counts once.
struct InsuranceSummary {
  std::int64_t months_paid = 0;
  std::optional<Period> first;
  std::optional<Period> last;
  std::vector<InsuranceGap> gaps;
  std::vector<std::pair<int, std::int64_t>> months_per_year;  // (year, months), oldest first
  std::vector<std::string> employers;                         // in the order first paid
};

// REQUIRES: `records` are of one insurance, ordered by month.
InsuranceSummary summarize(const std::vector<InsuranceRecord>& records);

// The month after `p` (a month), and the number of months from `a` to `b` (b - a).
Period next_month(const Period& p);
std::int64_t months_between(const Period& a, const Period& b);

// The current status of an insurance on `this_month`: "paying" when its last month paid
// is this month or the one before (feeds come a month late), "interrupted" when older,
// "none" when never paid.
std::string_view insurance_status(const InsuranceSummary& summary, const Period& this_month);

}  // namespace essc::domain
