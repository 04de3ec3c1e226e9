// Assertions for programmer errors (STYLE.md rule 3). Never reachable from input:
// input errors are Result values. ESSC_INVARIANT is checked in every build and aborts
// with the location; ESSC_ASSERT only in debug builds.
#pragma once

namespace essc::detail {
[[noreturn]] void invariant_failed(const char* expression, const char* file, int line);
}

#define ESSC_INVARIANT(expr) \
  ((expr) ? static_cast<void>(0) : ::essc::detail::invariant_failed(#expr, __FILE__, __LINE__))

#ifdef NDEBUG
#define ESSC_ASSERT(expr) static_cast<void>(0)
#else
#define ESSC_ASSERT(expr) ESSC_INVARIANT(expr)
#endif
