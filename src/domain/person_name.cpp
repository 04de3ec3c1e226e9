#include "domain/person_name.hpp"

#include "common/utf8.hpp"

namespace essc::domain {
namespace {

// C0 and C1 controls and DEL, plus the Unicode line and paragraph separators: none
// belongs in a name, and each could break a log line or a printed card face.
bool is_control(char32_t cp) {
  return cp < 0x20 || (cp >= 0x7f && cp < 0xa0) || cp == 0x2028 || cp == 0x2029;
}

}  // namespace

Result<std::string> parse_person_name(std::string_view text) {
  while (!text.empty() && text.front() == ' ') text.remove_prefix(1);
  while (!text.empty() && text.back() == ' ') text.remove_suffix(1);
  const auto code_points = utf8_code_points(text);
  if (!code_points || code_points->empty() || code_points->size() > kPersonNameCharactersMax) {
    return Error::invalid_field("name");
  }
  for (char32_t cp : *code_points) {
    if (is_control(cp)) return Error::invalid_field("name");
  }
  return std::string(text);
}

}  // namespace essc::domain
