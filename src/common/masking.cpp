#include "common/masking.hpp"

#include "common/utf8.hpp"

namespace essc {
namespace {

// Keeps `head` leading and `tail` trailing ASCII characters when the text is long enough
// to hide something in between; otherwise hides everything.
std::string keep_ends(std::string_view text, std::size_t head, std::size_t tail) {
  if (text.size() <= head + tail) return std::string(text.size(), '*');
  std::string out(text);
  for (std::size_t i = head; i < text.size() - tail; ++i) out[i] = '*';
  return out;
}

}  // namespace

std::string mask_name(std::string_view utf8_name) {
  const auto lengths = utf8_character_lengths(utf8_name);
  if (lengths.empty()) return std::string(utf8_name.empty() ? 0 : 1, '*');
  if (lengths.size() == 1) return "*";
  const auto last = lengths.back();
  return std::string(lengths.size() - 1, '*') + std::string(utf8_name.substr(utf8_name.size() - last));
}

std::string mask_id_number(std::string_view id_number) {
  if (id_number.size() < 8) return std::string(id_number.size(), '*');
  return keep_ends(id_number, 3, 4);
}

std::string mask_phone(std::string_view phone) { return keep_ends(phone, 3, 4); }

std::string mask_bank_account(std::string_view account) { return keep_ends(account, 0, 4); }

std::string mask_card_no(std::string_view card_no) { return keep_ends(card_no, 1, 2); }

}  // namespace essc
