// A social security card number (社会保障卡卡号, R-C2): nine characters, one upper-case
// ASCII letter then eight ASCII digits, e.g. "B12345678".
//
// Invariant: a constructed CardNo is always of that form.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <utility>

#include "common/result.hpp"

namespace essc::domain {

class CardNo {
 public:
  // INVALID_CARD_NO (field card_no) for any other shape; a lower-case letter is
  // accepted and upper-cased, since people type card numbers from the card face.
  static Result<CardNo> parse(std::string_view text);

  // A new number drawn from `uniform`, the caller's random source (the domain has
  // none of its own). REQUIRES: uniform(n) returns an integer in [0, n), uniformly.
  // Uniqueness is the store's business: a collision is retried there.
  static CardNo generate(
      const std::function<std::uint32_t(std::uint32_t upper_exclusive)>& uniform);

  const std::string& str() const { return value_; }

  friend bool operator==(const CardNo&, const CardNo&) = default;

 private:
  explicit CardNo(std::string value) : value_(std::move(value)) {}
  std::string value_;
};

}  // namespace essc::domain
