// A console operator: an administrator, a social-security clerk, a teller of one bank,
// who sees only the cards that bank issued, or an auditor of the fund, who reads the
// audit log, statistics, clearing and risk cases and closes cases, and changes nothing
// else (R-K6).
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace essc::domain {

enum class OperatorRole { kAdmin, kHrClerk, kBankTeller, kAuditor };

// "admin", "hr_clerk", "bank_teller", "auditor": the API's and the store's spelling.
std::string_view to_string(OperatorRole role);
std::optional<OperatorRole> parse_operator_role(std::string_view text);

struct Operator {
  std::string username;
  std::string password_hash;
  OperatorRole role = OperatorRole::kHrClerk;
  std::optional<std::string> bank_code;  // set exactly for bank tellers
};

}  // namespace essc::domain
