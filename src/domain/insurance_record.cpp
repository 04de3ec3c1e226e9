#include "domain/insurance_record.hpp"

#include <algorithm>

#include "common/limits.hpp"
#include "common/utf8.hpp"
#include "domain/enum_names.hpp"
#include "domain/region_code.hpp"

namespace essc::domain {
namespace {

constexpr std::array<std::string_view, 5> kNames{"pension", "medical", "unemployment",
                                                 "work_injury", "maternity"};
constexpr std::array<std::string_view, 5> kChineseNames{"职工基本养老保险", "职工基本医疗保险",
                                                        "失业保险", "工伤保险", "生育保险"};

}  // namespace

std::optional<InsuranceKind> parse_insurance_kind(std::string_view text) {
  return parse_in<InsuranceKind>(kNames, text);
}

std::string_view to_string(InsuranceKind kind) { return name_in(kNames, kind); }

std::string_view chinese_name(InsuranceKind kind) { return name_in(kChineseNames, kind); }

Result<InsuranceRecord> parse_insurance_record(const InsuranceRecordInput& in,
                                               std::string_view field_prefix) {
  const auto field = [&](std::string_view name) {
    return std::string(field_prefix) + std::string(name);
  };
  InsuranceRecord out;
  const auto kind = parse_insurance_kind(in.insurance);
  if (!kind) return Error::invalid_field(field("insurance"));
  out.insurance = *kind;
  const auto month = parse_month(in.period);
  if (!month) return Error::invalid_field(field("period"));
  out.period = *month;
  if (in.base_fen < 0 || in.base_fen > limits::kInsuranceBaseFenMax) {
    return Error::with_field(ErrorCode::kInvalidAmount, field("base_fen"));
  }
  if (in.employer_fen < 0 || in.employer_fen > in.base_fen) {
    return Error::with_field(ErrorCode::kInvalidAmount, field("employer_fen"));
  }
  if (in.personal_fen < 0 || in.personal_fen > in.base_fen) {
    return Error::with_field(ErrorCode::kInvalidAmount, field("personal_fen"));
  }
  if (in.employer_name.empty() || in.employer_name.size() > limits::kTextBytesMax ||
      !utf8_code_points(in.employer_name)) {
    return Error::invalid_field(field("employer_name"));
  }
  out.employer_name = in.employer_name;
  auto region = parse_region_code(in.region_code, field("region_code"));
  if (!region) return std::move(region).error();
  out.region_code = std::move(*region);
  out.base_fen = in.base_fen;
  out.employer_fen = in.employer_fen;
  out.personal_fen = in.personal_fen;
  return out;
}

Period next_month(const Period& p) {
  return p.month == 12 ? Period{p.year + 1, 1} : Period{p.year, p.month + 1};
}

std::int64_t months_between(const Period& a, const Period& b) {
  return (std::int64_t{b.year} * 12 + b.month) - (std::int64_t{a.year} * 12 + a.month);
}

InsuranceSummary summarize(const std::vector<InsuranceRecord>& records) {
  InsuranceSummary out;
  for (const auto& r : records) {
    if (std::find(out.employers.begin(), out.employers.end(), r.employer_name) ==
        out.employers.end()) {
      out.employers.push_back(r.employer_name);
    }
    if (out.last && r.period == *out.last) continue;  // a second employer that month
    if (out.last && months_between(*out.last, r.period) > 1) {
      const Period before = r.period.month == 1 ? Period{r.period.year - 1, 12}
                                                : Period{r.period.year, r.period.month - 1};
      out.gaps.push_back({next_month(*out.last), before, months_between(*out.last, r.period) - 1});
    }
    if (!out.first) out.first = r.period;
    out.last = r.period;
    ++out.months_paid;
    if (out.months_per_year.empty() || out.months_per_year.back().first != r.period.year) {
      out.months_per_year.emplace_back(r.period.year, 0);
    }
    ++out.months_per_year.back().second;
  }
  return out;
}

std::string_view insurance_status(const InsuranceSummary& summary, const Period& this_month) {
  if (!summary.last) return "none";
  return months_between(*summary.last, this_month) <= 1 ? "paying" : "interrupted";
}

}  // namespace essc::domain
