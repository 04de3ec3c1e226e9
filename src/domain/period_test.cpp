#include "domain/period.hpp"

#include <gtest/gtest.h>

namespace essc::domain {
namespace {

TEST(Period, R_U5_R_U6_AYearOrARealMonth) {
  EXPECT_EQ(parse_period("2027")->str(), "2027");
  EXPECT_EQ(parse_period("2026-01")->str(), "2026-01");
  EXPECT_EQ(parse_month("2026-12")->str(), "2026-12");
  EXPECT_FALSE(parse_month("2026"));
  for (std::string_view text : {"", "0000", "1900", "1948", "2026-00", "2026-13", "2026-1",
                                "2026/01", "+2026", "2026-01-01", "20260", "２０２６"})
    EXPECT_FALSE(parse_period(text)) << text;
  EXPECT_LT(*parse_period("2025-12"), *parse_period("2026-01"));
}

TEST(Period, R_U5_OpenPeriodsFollowThePolicysArrearsWindow) {
  RegionPolicy policy;
  policy.contribution_arrears_months = 2;
  const Period january{2026, 1};
  std::vector<std::string> years, months;
  for (const auto& p : open_periods(ContributionKind::kResidentMedical, january, policy))
    years.push_back(p.str());
  for (const auto& p : open_periods(ContributionKind::kFlexiblePension, january, policy))
    months.push_back(p.str());
  // Two months back from January reaches into last year, so last year's arrears are open.
  EXPECT_EQ(years, (std::vector<std::string>{"2025", "2026", "2027"}));
  EXPECT_EQ(months, (std::vector<std::string>{"2025-11", "2025-12", "2026-01"}));
  policy.contribution_arrears_months = 0;
  EXPECT_EQ(open_periods(ContributionKind::kResidentMedical, january, policy).size(), 2u);
  EXPECT_EQ(open_periods(ContributionKind::kFlexiblePension, january, policy).size(), 1u);
  EXPECT_EQ(period_amount_fen(ContributionKind::kResidentMedical, policy),
            policy.resident_medical_annual_fen);
}

}  // namespace
}  // namespace essc::domain
