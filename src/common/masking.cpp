#include "common/masking.hpp"

#include <algorithm>
#include <numeric>
#include <utility>
#include <vector>

#include "common/utf8.hpp"

namespace essc {
namespace {

struct Characters {
  bool valid = false;
  std::vector<std::size_t> lengths;  // byte length of each character, when valid
};

Characters characters_of(std::string_view text) {
  auto lengths = utf8_character_lengths(text);
  // utf8_character_lengths is empty both for "" and for invalid text.
  return {text.empty() || !lengths.empty(), std::move(lengths)};
}

std::string all_hidden(std::string_view text, const Characters& chars) {
  return std::string(chars.valid ? chars.lengths.size() : text.size(), '*');
}

// Keeps `head` leading and `tail` trailing characters when at least
// kMaskedCharactersMin lie between them; otherwise hides everything.
std::string keep_ends(std::string_view text, std::size_t head, std::size_t tail) {
  const auto chars = characters_of(text);
  const auto count = chars.lengths.size();
  if (!chars.valid || count < head + tail + kMaskedCharactersMin) return all_hidden(text, chars);
  const auto head_bytes =
      std::accumulate(chars.lengths.begin(),
                      chars.lengths.begin() + static_cast<std::ptrdiff_t>(head), std::size_t{0});
  const auto tail_bytes = std::accumulate(chars.lengths.end() - static_cast<std::ptrdiff_t>(tail),
                                          chars.lengths.end(), std::size_t{0});
  std::string out(text.substr(0, head_bytes));
  out.append(count - head - tail, '*');
  out.append(text.substr(text.size() - tail_bytes));
  return out;
}

}  // namespace

std::string mask_name(std::string_view utf8_name) {
  // A name is short by nature, so the minimum-hidden rule does not apply: the
  // convention shows the last character of every name of two or more. At most
  // kMaskedNameStarsMax stars stand before it, so a long name stays short to read
  // and its length is not told either.
  const auto chars = characters_of(utf8_name);
  if (!chars.valid) return std::string(std::min(utf8_name.size(), kMaskedNameStarsMax + 1), '*');
  if (chars.lengths.size() <= 1) return all_hidden(utf8_name, chars);
  std::string out(std::min(chars.lengths.size() - 1, kMaskedNameStarsMax), '*');
  out.append(utf8_name.substr(utf8_name.size() - chars.lengths.back()));
  return out;
}

std::string mask_id_number(std::string_view id_number) { return keep_ends(id_number, 3, 4); }

std::string mask_phone(std::string_view phone) { return keep_ends(phone, 3, 4); }

std::string mask_bank_account(std::string_view account) { return keep_ends(account, 0, 4); }

std::string mask_card_no(std::string_view card_no) { return keep_ends(card_no, 1, 2); }

}  // namespace essc
