#include "domain/phone.hpp"

namespace essc::domain {

Result<Phone> Phone::parse(std::string_view text, std::string_view field_name) {
  bool ok = text.size() == 11 && text[0] == '1' && text[1] >= '3' && text[1] <= '9';
  for (std::size_t i = 0; ok && i < text.size(); ++i) ok = text[i] >= '0' && text[i] <= '9';
  if (!ok) return Error::with_field(ErrorCode::kInvalidPhone, std::string(field_name));
  return Phone(std::string(text));
}

}  // namespace essc::domain
