#include "domain/risk_case.hpp"

#include "domain/enum_names.hpp"

namespace essc::domain {
namespace {

constexpr std::array<std::string_view, 2> kCaseOutcomes{"fraud", "legitimate"};

}  // namespace

std::string_view to_string(CaseOutcome outcome) { return name_in(kCaseOutcomes, outcome); }
std::optional<CaseOutcome> parse_case_outcome(std::string_view text) {
  return parse_in<CaseOutcome>(kCaseOutcomes, text);
}

}  // namespace essc::domain
