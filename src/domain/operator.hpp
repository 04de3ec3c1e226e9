// A console operator: an administrator, a social-security clerk, or a teller of
// one bank, who sees only the cards that bank issued.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace essc::domain {

enum class OperatorRole { kAdmin, kHrClerk, kBankTeller };

// "admin", "hr_clerk", "bank_teller": the API's and the store's spelling.
std::string_view to_string(OperatorRole role);
std::optional<OperatorRole> parse_operator_role(std::string_view text);

struct Operator {
  std::string username;
  std::string password_hash;
  OperatorRole role = OperatorRole::kHrClerk;
  std::optional<std::string> bank_code;  // set exactly for bank tellers
};

}  // namespace essc::domain
