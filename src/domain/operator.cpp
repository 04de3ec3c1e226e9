#include "domain/operator.hpp"

#include "domain/enum_names.hpp"

namespace essc::domain {
namespace {

constexpr std::array<std::string_view, 4> kOperatorRoles{"admin", "hr_clerk", "bank_teller",
                                                         "auditor"};

}  // namespace

std::string_view to_string(OperatorRole role) { return name_in(kOperatorRoles, role); }
std::optional<OperatorRole> parse_operator_role(std::string_view text) {
  return parse_in<OperatorRole>(kOperatorRoles, text);
}

}  // namespace essc::domain
