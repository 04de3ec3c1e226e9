// Result<T>: a value or an Error, for every expected failure (STYLE.md rule 3).
//
// REQUIRES: value() only when ok(); error() only when !ok(). Both are checked always:
// reading the wrong side is a programmer error, not something input can cause.
#pragma once

#include <utility>
#include <variant>

#include "common/assert.hpp"
#include "common/error.hpp"

namespace essc {

template <class T>
class [[nodiscard]] Result {
 public:
  Result(T value)
      : state_(std::in_place_index<0>, std::move(value)) {}  // NOLINT: implicit by design
  Result(Error error) : state_(std::in_place_index<1>, std::move(error)) {}  // NOLINT
  Result(ErrorCode code) : state_(std::in_place_index<1>, Error(code)) {}    // NOLINT

  bool ok() const { return state_.index() == 0; }
  explicit operator bool() const { return ok(); }

  T& value() & {
    ESSC_INVARIANT(ok());
    return std::get<0>(state_);
  }
  const T& value() const& {
    ESSC_INVARIANT(ok());
    return std::get<0>(state_);
  }
  T&& value() && {
    ESSC_INVARIANT(ok());
    return std::get<0>(std::move(state_));
  }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

  const Error& error() const& {
    ESSC_INVARIANT(!ok());
    return std::get<1>(state_);
  }
  Error&& error() && {
    ESSC_INVARIANT(!ok());
    return std::get<1>(std::move(state_));
  }

 private:
  std::variant<T, Error> state_;
};

template <>
class [[nodiscard]] Result<void> {
 public:
  Result() = default;
  Result(Error error) : error_(std::move(error)), failed_(true) {}  // NOLINT
  Result(ErrorCode code) : error_(code), failed_(true) {}           // NOLINT

  bool ok() const { return !failed_; }
  explicit operator bool() const { return ok(); }
  const Error& error() const& {
    ESSC_INVARIANT(failed_);
    return error_;
  }
  Error&& error() && {
    ESSC_INVARIANT(failed_);
    return std::move(error_);
  }

 private:
  Error error_;
  bool failed_ = false;
};

using Status = Result<void>;

// An outer failure, else the inner result. For writes whose refusal must still commit
// (an attempt counted): the job succeeds and carries the refusal out as its value.
template <class T>
Result<T> flatten(Result<Result<T>> outer) {
  if (!outer.ok()) return std::move(outer).error();
  return std::move(outer).value();
}

}  // namespace essc

// Returns the error of `expr` (a Result) from the enclosing function when it failed.
#define ESSC_TRY(expr)                                          \
  do {                                                          \
    if (auto essc_try_result_ = (expr); !essc_try_result_.ok()) \
      return std::move(essc_try_result_).error();               \
  } while (false)

#define ESSC_CONCAT_INNER(a, b) a##b
#define ESSC_CONCAT(a, b) ESSC_CONCAT_INNER(a, b)
// `lhs = value of expr` when expr (a Result) succeeded; otherwise returns its error.
// Usage: ESSC_ASSIGN_OR_RETURN(auto name, body.string("name"));
#define ESSC_ASSIGN_OR_RETURN(lhs, expr) \
  ESSC_ASSIGN_OR_RETURN_IMPL(ESSC_CONCAT(essc_result_, __LINE__), lhs, expr)
// NOLINTBEGIN(bugprone-macro-parentheses): `result` names a variable and `lhs` declares one.
#define ESSC_ASSIGN_OR_RETURN_IMPL(result, lhs, expr) \
  auto result = (expr);                               \
  if (!result.ok()) return std::move(result).error(); \
  lhs = std::move(result).value()
// NOLINTEND(bugprone-macro-parentheses)
