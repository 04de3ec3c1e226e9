#include "domain/person_name.hpp"

#include "common/utf8.hpp"

namespace essc::domain {
namespace {

// C0 and C1 controls and DEL, plus the Unicode line and paragraph separators: none
// belongs in a name, and each could break a log line or a printed card face.
bool is_control(char32_t cp) {
  return cp < 0x20 || (cp >= 0x7f && cp < 0xa0) || cp == 0x2028 || cp == 0x2029;
}

// Bidirectional formatting (embeddings, overrides, isolates, marks): a U+202E in a name
// shows it reversed on a card face, a receipt or a clerk's screen.
bool is_bidi_control(char32_t cp) {
  return (cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069) || cp == 0x200e ||
         cp == 0x200f || cp == 0x061c;
}

// What shows nothing: spaces of every width and the zero-width and filler characters. A
// name of these alone looks empty wherever it is shown.
bool is_invisible(char32_t cp) {
  return cp == 0x20 || cp == 0xa0 || cp == 0xad || cp == 0x034f || cp == 0x115f || cp == 0x1160 ||
         cp == 0x180e || (cp >= 0x2000 && cp <= 0x200d) || cp == 0x202f || cp == 0x205f ||
         (cp >= 0x2060 && cp <= 0x2064) || cp == 0x3000 || cp == 0x3164 || cp == 0xfeff ||
         cp == 0xffa0;
}

}  // namespace

Result<std::string> parse_person_name(std::string_view text) {
  while (!text.empty() && text.front() == ' ') text.remove_prefix(1);
  while (!text.empty() && text.back() == ' ') text.remove_suffix(1);
  const auto code_points = utf8_code_points(text);
  if (!code_points || code_points->empty() || code_points->size() > kPersonNameCharactersMax) {
    return Error::invalid_field("name");
  }
  bool visible = false;
  for (char32_t cp : *code_points) {
    if (is_control(cp) || is_bidi_control(cp)) return Error::invalid_field("name");
    visible = visible || !is_invisible(cp);
  }
  if (!visible) return Error::invalid_field("name", "no visible character");
  return std::string(text);
}

}  // namespace essc::domain
