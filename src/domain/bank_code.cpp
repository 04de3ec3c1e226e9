#include "domain/bank_code.hpp"

namespace essc::domain {

Result<std::string> parse_bank_code(std::string_view text, std::string_view field_name) {
  if (text.size() < 2 || text.size() > 12) return Error::invalid_field(std::string(field_name));
  std::string code(text);
  for (auto& ch : code) {
    if (ch >= 'a' && ch <= 'z') ch = static_cast<char>(ch - 'a' + 'A');
    if (!((ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9'))) return Error::invalid_field(std::string(field_name));
  }
  return code;
}

}  // namespace essc::domain
