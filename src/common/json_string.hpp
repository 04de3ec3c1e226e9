// A string as a JSON string literal (RFC 8259 §7): quotes, backslashes and control
// characters escaped, everything else (UTF-8 included) as it is. For the few places that
// write JSON without a JSON library: the server's own error answers and the audit log's
// canonical entries, whose bytes must not depend on a library's choices.
//
// Thread safety: a pure function.
#pragma once

#include <string>
#include <string_view>

namespace essc {

void append_json_string(std::string& out, std::string_view text);

}  // namespace essc
