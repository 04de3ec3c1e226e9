#include "common/assert.hpp"

#include <cstdio>
#include <cstdlib>

namespace essc::detail {

void invariant_failed(const char* expression, const char* file, int line) {
  std::fprintf(stderr, "essc: invariant failed: %s at %s:%d\n", expression, file, line);
  std::abort();
}

}  // namespace essc::detail
