// A period that money is paid for (缴费期/待遇期): a year "YYYY" or a month "YYYY-MM", and
// which periods a contribution may be paid for now (R-U5, R-U6).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "domain/settlement.hpp"

namespace essc::domain {

// Years before 1949 or after 9999 are no period the platform pays for.
inline constexpr int kPeriodYearMin = 1949;

struct Period {
  int year = 0;
  int month = 0;  // 1…12; 0 for a whole year

  bool is_year() const { return month == 0; }
  std::string str() const;  // "YYYY" or "YYYY-MM"
  friend auto operator<=>(const Period&, const Period&) = default;
};

// "YYYY" or "YYYY-MM" with a real month and a year from kPeriodYearMin to 9999.
std::optional<Period> parse_period(std::string_view text);
// A month "YYYY-MM" only (benefits are paid per month).
std::optional<Period> parse_month(std::string_view text);

// What a cardholder may pay from the bank through the e-card (API.md).
enum class ContributionKind { kResidentMedical, kFlexiblePension };
std::optional<ContributionKind> parse_contribution_kind(std::string_view text);
std::string_view to_string(ContributionKind kind);

// The periods open for payment on `today` (China Standard Time) under `policy`, oldest
// first: resident medical insurance by the year (this year's arrears and next year's,
// collected in advance), the flexible-employment pension by the month (this month and
// the policy's `contribution_arrears_months` before it).
std::vector<Period> open_periods(ContributionKind kind, const Period& this_month,
                                 const RegionPolicy& policy);
// The amount the policy sets for one period of `kind`.
std::int64_t period_amount_fen(ContributionKind kind, const RegionPolicy& policy);

}  // namespace essc::domain
