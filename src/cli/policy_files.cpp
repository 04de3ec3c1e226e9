#include "cli/policy_files.hpp"

#include <toml++/toml.h>

#include <algorithm>
#include <chrono>
#include <stdexcept>
#include <vector>

#include "cli/file_stamp.hpp"
#include "common/limits.hpp"
#include "common/log.hpp"
#include "domain/region_code.hpp"

namespace essc::cli {
namespace {

// A whole-number key of a policy file: where it goes in `Policy` and the values allowed.
template <class Policy>
struct Field {
  const char* key;
  std::int64_t Policy::*member;
  std::int64_t min;
  std::int64_t max;
};

constexpr Field<domain::RegionPolicy> kFields[] = {
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

// POLICY.md "Risk rules": [risk].
constexpr Field<domain::RiskThresholds> kRiskFields[] = {
    {"takeover_window_hours", &domain::RiskThresholds::takeover_window_hours, 1,
     std::int64_t{24} * 90},
    {"takeover_amount_fen", &domain::RiskThresholds::takeover_amount_fen, 0, 10'000'000'000},
    {"settlements_per_hour_max", &domain::RiskThresholds::settlements_per_hour_max, 1, 10'000},
    {"institutions_per_day_max", &domain::RiskThresholds::institutions_per_day_max, 1, 10'000},
    {"step_up_valid_minutes", &domain::RiskThresholds::step_up_valid_minutes, 1,
     std::int64_t{24} * 60},
    {"password_resets_per_day_max", &domain::RiskThresholds::password_resets_per_day_max, 1, 1'000},
    {"new_channels_per_day_max", &domain::RiskThresholds::new_channels_per_day_max, 1, 1'000},
    {"sessions_per_hour_max", &domain::RiskThresholds::sessions_per_hour_max, 1, 10'000},
};

// "policy file F, line N: …": where the operator must look.
[[noreturn]] void refuse(const std::string& file, const toml::source_region& at,
                         const std::string& why) {
  throw std::runtime_error("policy file " + file + ", line " + std::to_string(at.begin.line) +
                           ": " + why);
}
[[noreturn]] void refuse(const std::string& file, const toml::node& at, const std::string& why) {
  refuse(file, at.source(), why);
}

const Field<domain::RegionPolicy>& known_field(const std::string& file, const toml::key& key) {
  for (const auto& f : kFields) {
    if (key.str() == f.key) return f;
  }
  refuse(file, key.source(), "unknown key '" + std::string(key.str()) + "'");
}

std::int64_t whole_number(const std::string& file, const toml::key& key, const toml::node& value,
                          std::int64_t min, std::int64_t max) {
  const auto number = value.value<std::int64_t>();
  if (!number || *number < min || *number > max) {
    refuse(file, value,
           std::string(key.str()) + " must be a whole number from " + std::to_string(min) + " to " +
               std::to_string(max));
  }
  return *number;
}

// POLICY.md "Quantity limits": [[item_limits]] with code, max_quantity and window_days.
std::vector<domain::ItemLimit> item_limits(const std::string& file, const toml::node& node) {
  const auto* tables = node.as_array();
  if (!tables || !tables->is_array_of_tables())
    refuse(file, node, "item_limits must be [[item_limits]] tables");
  std::vector<domain::ItemLimit> out;
  for (const auto& entry : *tables) {
    domain::ItemLimit limit;
    limit.max_quantity = -1;  // absent until read: a forgotten cap must not read as 0
    limit.window_days = 0;
    for (const auto& [key, value] : *entry.as_table()) {
      if (key.str() == "code") {
        const auto code = value.value<std::string>();
        if (!code || code->empty() || code->size() > limits::kIdCharsMax)
          refuse(file, value, "code must be the item code institutions send");
        limit.code = *code;
      } else if (key.str() == "max_quantity") {
        limit.max_quantity = whole_number(file, key, value, 0, limits::kItemQuantityMax);
      } else if (key.str() == "window_days") {
        limit.window_days = whole_number(file, key, value, 1, 366);
      } else {
        refuse(file, value, "unknown key '" + std::string(key.str()) + "' in [[item_limits]]");
      }
    }
    if (limit.code.empty() || limit.max_quantity < 0 || limit.window_days == 0)
      refuse(file, entry, "each [[item_limits]] needs code, max_quantity and window_days");
    for (const auto& earlier : out) {
      if (earlier.code == limit.code) refuse(file, entry, "a second limit for " + limit.code);
    }
    out.push_back(std::move(limit));
  }
  return out;
}

domain::RiskThresholds risk_thresholds(const std::string& file, const toml::node& node) {
  const auto* table = node.as_table();
  if (!table) refuse(file, node, "risk must be a [risk] table");
  domain::RiskThresholds risk;
  for (const auto& [key, value] : *table) {
    const std::string_view name = key.str();
    const auto* field =
        std::find_if(std::begin(kRiskFields), std::end(kRiskFields),
                     [&](const Field<domain::RiskThresholds>& f) { return name == f.key; });
    if (field == std::end(kRiskFields))
      refuse(file, key.source(), "unknown key '" + std::string(key.str()) + "' in [risk]");
    risk.*(field->member) = whole_number(file, key, value, field->min, field->max);
  }
  return risk;
}

// The names, inodes, sizes and change times of the folder's files, in name order.
std::string folder_stamp(const std::filesystem::path& folder) {
  std::vector<std::string> files;
  std::error_code error;
  for (const auto& entry : std::filesystem::directory_iterator(folder, error)) {
    files.push_back(entry.path().filename().string() + " " + file_stamp(entry.path()));
  }
  std::sort(files.begin(), files.end());
  std::string stamp;
  for (const auto& file : files) stamp += file + "\n";
  return stamp;
}

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
      if (key.str() == "item_limits") {
        policy.item_limits = item_limits(name, value);
        continue;
      }
      if (key.str() == "risk") {
        policy.risk = risk_thresholds(name, value);
        continue;
      }
      const auto& field = known_field(name, key);
      policy.*(field.member) = whole_number(name, key, value, field.min, field.max);
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
  text +=
      "\n# Risk rules (R-K1…R-K3): a fresh face or SMS check before bank money leaves, a\n"
      "# family member is added or a channel revoked soon after a password reset, a new\n"
      "# channel or a changed bank phone, and before the next payment code after many\n"
      "# settlements; a password reset, a new channel or a session past its count refused.\n"
      "[risk]\n";
  for (const auto& f : kRiskFields)
    text += std::string(f.key) + " = " + std::to_string(policy.risk.*(f.member)) + "\n";
  for (const auto& limit : policy.item_limits) {
    text +=
        "\n# At most max_quantity units of the item in window_days days, across every\n"
        "# institution; units past it are settled outside the catalogue (R-K4).\n"
        "[[item_limits]]\ncode = \"" +
        limit.code + "\"\nmax_quantity = " + std::to_string(limit.max_quantity) +
        "\nwindow_days = " + std::to_string(limit.window_days) + "\n";
  }
  return text;
}

PolicyFolderWatch::PolicyFolderWatch(std::filesystem::path folder,
                                     services::RegionPolicies& policies)
    : folder_(std::move(folder)), policies_(policies) {}

void PolicyFolderWatch::start() {
  task_.start("region_policies_watch_failed",
              std::chrono::milliseconds(limits::kPolicyFolderWatchMs), false, [this] { check(); });
}

void PolicyFolderWatch::stop() { task_.stop(); }

void PolicyFolderWatch::check() {
  auto stamp = folder_stamp(folder_);
  if (stamp == stamp_) return;
  stamp_ = std::move(stamp);
  try {
    auto loaded = load_region_policies(folder_);
    const auto regions = loaded.size();
    policies_.replace(std::move(loaded));
    log_event(spdlog::level::info,
              {{"event", "region_policies_reloaded"}, {"regions", std::to_string(regions)}});
  } catch (const std::exception& e) {
    log_event(spdlog::level::err,
              {{"event", "region_policies_not_reloaded"}, {"detail", std::string_view(e.what())}});
  }
}

}  // namespace essc::cli
