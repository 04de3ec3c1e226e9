#include "crypto/sodium.hpp"

#include <sodium.h>

#include <mutex>
#include <stdexcept>

namespace essc::crypto {

void initialize_sodium() {
  static std::once_flag once;
  // call_once re-runs the callable if it threw, so a failed attempt is not remembered
  // as a success.
  std::call_once(once, [] {
    // sodium_init returns 0 on the first success, 1 if already initialised (for
    // example by another library in the process) and -1 on failure.
    if (sodium_init() < 0) throw std::runtime_error("libsodium initialisation failed");
  });
}

}  // namespace essc::crypto
