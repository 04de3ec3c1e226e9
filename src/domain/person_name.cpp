#include "domain/person_name.hpp"

#include "common/utf8.hpp"

namespace essc::domain {
namespace {

constexpr std::size_t kNameCharactersMax = 30;

}  // namespace

Result<std::string> parse_person_name(std::string_view text) {
  while (!text.empty() && text.front() == ' ') text.remove_prefix(1);
  while (!text.empty() && text.back() == ' ') text.remove_suffix(1);
  const auto code_points = utf8_code_points(text);
  if (!code_points || code_points->empty() || code_points->size() > kNameCharactersMax) {
    return Error::invalid_field("name");
  }
  for (char32_t cp : *code_points) {
    if (cp < 0x20 || (cp >= 0x7f && cp < 0xa0) || cp == 0x2028 || cp == 0x2029) return Error::invalid_field("name");
  }
  return std::string(text);
}

}  // namespace essc::domain
