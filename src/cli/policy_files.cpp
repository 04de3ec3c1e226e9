#include "cli/policy_files.hpp"

#include <toml++/toml.h>

#include <stdexcept>

#include "domain/region_code.hpp"

namespace essc::cli {
namespace {

struct Field {
  const char* key;
  std::int64_t domain::RegionPolicy::*member;
  std::int64_t min;
  std::int64_t max;
};

constexpr Field kFields[] = {
    {"b_first_self_ratio_bp", &domain::RegionPolicy::b_first_self_ratio_bp, 0, 10000},
    {"outpatient_deductible_fen", &domain::RegionPolicy::outpatient_deductible_fen, 0, 100'000'000},
    {"outpatient_fund_ratio_bp", &domain::RegionPolicy::outpatient_fund_ratio_bp, 0, 10000},
    {"outpatient_annual_cap_fen", &domain::RegionPolicy::outpatient_annual_cap_fen, 0,
     10'000'000'000},
    {"daily_settlement_limit", &domain::RegionPolicy::daily_settlement_limit, 1, 10'000},
    {"resident_medical_annual_fen", &domain::RegionPolicy::resident_medical_annual_fen, 1,
     100'000'000},
    {"flexible_pension_monthly_fen", &domain::RegionPolicy::flexible_pension_monthly_fen, 1,
     100'000'000},
    {"contribution_arrears_months", &domain::RegionPolicy::contribution_arrears_months, 0, 120},
};

}  // namespace

std::map<std::string, domain::RegionPolicy, std::less<>> load_region_policies(
    const std::filesystem::path& folder) {
  std::map<std::string, domain::RegionPolicy, std::less<>> policies;
  if (!std::filesystem::exists(folder)) return policies;
  for (const auto& entry : std::filesystem::directory_iterator(folder)) {
    if (entry.path().extension() != ".toml") continue;
    const auto name = entry.path().string();
    const auto region = entry.path().stem().string();
    if (!domain::parse_region_code(region).ok()) {
      throw std::runtime_error("policy file " + name + ": the name must be a 6-digit region code");
    }
    toml::table table;
    try {
      table = toml::parse_file(name);
    } catch (const toml::parse_error& e) {
      throw std::runtime_error("policy file " + name + ": " + std::string(e.description()));
    }
    domain::RegionPolicy policy;
    for (const auto& [key, value] : table) {
      const Field* field = nullptr;
      for (const auto& f : kFields) {
        if (key.str() == f.key) field = &f;
      }
      if (!field)
        throw std::runtime_error("policy file " + name + ": unknown key '" +
                                 std::string(key.str()) + "'");
      const auto number = value.value<std::int64_t>();
      if (!number || *number < field->min || *number > field->max) {
        throw std::runtime_error("policy file " + name + ": " + field->key +
                                 " must be a whole number from " + std::to_string(field->min) +
                                 " to " + std::to_string(field->max));
      }
      policy.*(field->member) = *number;
    }
    policies.emplace(region, policy);
  }
  return policies;
}

std::string region_policy_text(const domain::RegionPolicy& policy) {
  std::string text =
      "# Medical-insurance settlement policy of this region (POLICY.md). Amounts in fen,\n"
      "# ratios in basis points. Illustrative demo values, not official ones.\n";
  for (const auto& f : kFields)
    text += std::string(f.key) + " = " + std::to_string(policy.*(f.member)) + "\n";
  return text;
}

}  // namespace essc::cli
