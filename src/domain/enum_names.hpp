// Enums spelled by one table of names in declaration order, so that printing and parsing
// cannot disagree: the API's and the store's spelling is the table's.
#pragma once

#include <array>
#include <cstddef>
#include <optional>
#include <string_view>

namespace essc::domain {

template <typename Enum, std::size_t N>
std::string_view name_in(const std::array<std::string_view, N>& names, Enum value) {
  return names.at(static_cast<std::size_t>(value));
}

template <typename Enum, std::size_t N>
std::optional<Enum> parse_in(const std::array<std::string_view, N>& names, std::string_view text) {
  for (std::size_t i = 0; i < N; ++i) {
    if (names[i] == text) return static_cast<Enum>(i);
  }
  return std::nullopt;
}

}  // namespace essc::domain
