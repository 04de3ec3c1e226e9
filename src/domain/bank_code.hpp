// The code of a card's issuing bank (发卡银行), e.g. "ICBC", "NBCB": 2 to 12 characters of
// [A-Z0-9]. Which banks issue cards is configuration, so only the shape is checked; the
// names of the banks that commonly do are kept here so people see a name, not a code.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "common/result.hpp"

namespace essc::domain {

// The code upper-cased, or INVALID_REQUEST naming `field_name`.
Result<std::string> parse_bank_code(std::string_view text,
                                    std::string_view field_name = "bank_code");

struct BankName {
  std::string_view zh;
  std::string_view en;
};

// The bank's name for a code in its upper-case spelling, or nullopt for a code this
// table does not know (the page then shows the code).
std::optional<BankName> bank_name(std::string_view code);

}  // namespace essc::domain
