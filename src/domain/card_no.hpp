// A social security card number (R-C2): nine characters, one upper-case letter and eight
// digits. Invariant: a constructed CardNo is always of that form.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "common/result.hpp"

namespace essc::domain {

class CardNo {
 public:
  // INVALID_CARD_NO (field card_no); a lowercase letter is accepted and upper-cased.
  static Result<CardNo> parse(std::string_view text);
  // `uniform(n)` returns a uniformly random integer in [0, n).
  static CardNo generate(const std::function<std::uint32_t(std::uint32_t)>& uniform);
  const std::string& str() const { return value_; }

 private:
  explicit CardNo(std::string value) : value_(std::move(value)) {}
  std::string value_;
};

}  // namespace essc::domain
