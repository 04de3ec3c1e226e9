#include "domain/period.hpp"

#include <algorithm>

namespace essc::domain {
namespace {

std::optional<int> digits(std::string_view text) {
  int value = 0;
  for (char ch : text) {
    if (ch < '0' || ch > '9') return std::nullopt;
    value = value * 10 + (ch - '0');
  }
  return value;
}

Period month_before(Period p, int months) {
  const int index = p.year * 12 + (p.month - 1) - months;
  return {index / 12, index % 12 + 1};
}

}  // namespace

std::string Period::str() const {
  std::string text = std::to_string(year);
  if (is_year()) return text;
  return text + (month < 10 ? "-0" : "-") + std::to_string(month);
}

std::optional<Period> parse_period(std::string_view text) {
  if (text.size() != 4 && text.size() != 7) return std::nullopt;
  const auto year = digits(text.substr(0, 4));
  if (!year || *year < kPeriodYearMin) return std::nullopt;
  if (text.size() == 4) return Period{*year, 0};
  if (text[4] != '-') return std::nullopt;
  const auto month = digits(text.substr(5, 2));
  if (!month || *month < 1 || *month > 12) return std::nullopt;
  return Period{*year, *month};
}

std::optional<Period> parse_month(std::string_view text) {
  auto period = parse_period(text);
  if (!period || period->is_year()) return std::nullopt;
  return period;
}

std::optional<ContributionKind> parse_contribution_kind(std::string_view text) {
  if (text == "resident_medical") return ContributionKind::kResidentMedical;
  if (text == "flexible_pension") return ContributionKind::kFlexiblePension;
  return std::nullopt;
}

std::string_view to_string(ContributionKind kind) {
  return kind == ContributionKind::kResidentMedical ? "resident_medical" : "flexible_pension";
}

std::vector<Period> open_periods(ContributionKind kind, const Period& this_month,
                                 const RegionPolicy& policy) {
  std::vector<Period> open;
  const auto arrears = static_cast<int>(policy.contribution_arrears_months);  // at most 120
  if (kind == ContributionKind::kResidentMedical) {
    const auto oldest = month_before(this_month, arrears).year;
    for (int year = std::min(oldest, this_month.year); year <= this_month.year + 1; ++year)
      open.push_back({year, 0});
    return open;
  }
  for (int back = arrears; back >= 0; --back) open.push_back(month_before(this_month, back));
  return open;
}

std::int64_t period_amount_fen(ContributionKind kind, const RegionPolicy& policy) {
  return kind == ContributionKind::kResidentMedical ? policy.resident_medical_annual_fen
                                                    : policy.flexible_pension_monthly_fen;
}

}  // namespace essc::domain
