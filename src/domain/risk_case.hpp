// A review case of risk control (R-K4, R-K5, R-K6): opened by a rule or by a cardholder's
// "not me", read and closed by the fund's auditors.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace essc::domain {

enum class CaseOutcome { kFraud, kLegitimate };

// "fraud" | "legitimate": the API's and the store's spelling.
std::string_view to_string(CaseOutcome outcome);
std::optional<CaseOutcome> parse_case_outcome(std::string_view text);

// The rule ids cases and decisions name (API.md "Risk control").
inline constexpr std::string_view kRuleItemQuantityLimit = "ITEM_QUANTITY_LIMIT";

struct RiskCase {
  std::string case_id;
  std::int64_t opened_at_ms = 0;
  std::string rule;
  std::optional<std::string> risk_id;
  std::optional<std::string> settlement_id;
  std::int64_t person_id = 0;
  std::string detail;                  // what the rule saw, without personal data
  std::optional<CaseOutcome> outcome;  // set once closed
  std::optional<std::string> note;
  std::optional<std::int64_t> closed_at_ms;
  std::optional<std::string> closed_by;  // the auditor's actor, "operator:…"

  bool open() const { return !outcome; }
};

}  // namespace essc::domain
