#include "crypto/random.hpp"

#include <sodium.h>

#include "common/assert.hpp"
#include "crypto/encoding.hpp"
#include "crypto/sodium.hpp"

namespace essc::crypto {

std::string random_bytes(std::size_t count) {
  initialize_sodium();
  std::string out(count, '\0');
  if (count > 0) randombytes_buf(out.data(), out.size());
  return out;
}

std::string random_token(std::size_t byte_count) { return to_base64url(random_bytes(byte_count)); }

std::string random_digits(int count) {
  ESSC_INVARIANT(count >= 0);
  initialize_sodium();
  std::string out;
  out.reserve(static_cast<std::size_t>(count));
  for (int i = 0; i < count; ++i) {
    out.push_back(static_cast<char>('0' + randombytes_uniform(10)));
  }
  return out;
}

std::uint32_t random_uniform(std::uint32_t upper_exclusive) {
  // randombytes_uniform(0) returns 0, which is outside an empty range: a caller bug.
  ESSC_INVARIANT(upper_exclusive > 0);
  initialize_sodium();
  return randombytes_uniform(upper_exclusive);
}

}  // namespace essc::crypto
