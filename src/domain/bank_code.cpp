#include "domain/bank_code.hpp"

namespace essc::domain {
namespace {

// Abbreviations in use are 3 to 6 characters (BOC, ICBC, NBCB, PSBC); 2…12 admits any
// code a region may configure without admitting free text.
constexpr std::size_t kLengthMin = 2;
constexpr std::size_t kLengthMax = 12;

}  // namespace

Result<std::string> parse_bank_code(std::string_view text, std::string_view field_name) {
  const auto invalid = [&] { return Error::invalid_field(std::string(field_name)); };
  if (text.size() < kLengthMin || text.size() > kLengthMax) return invalid();
  std::string code(text);
  for (auto& ch : code) {
    if (ch >= 'a' && ch <= 'z') ch = static_cast<char>(ch - 'a' + 'A');
    const bool allowed = (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9');
    if (!allowed) return invalid();
  }
  return code;
}

}  // namespace essc::domain
