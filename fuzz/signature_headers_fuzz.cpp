// The signed-request headers (R-S2, API.md "Authentication"): X-Essc-Timestamp,
// X-Essc-Nonce and X-Essc-Signature as a client may send them. Each parser accepts
// exactly its documented syntax and never crashes; a signature is accepted only when it
// is the HMAC of the canonical request, in either case.
#include <cctype>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "crypto/request_signature.hpp"
#include "fuzz_check.hpp"

namespace {

bool all_of(std::string_view text, bool (*predicate)(char)) {
  for (char c : text) {
    if (!predicate(c)) return false;
  }
  return true;
}

bool digit(char c) { return c >= '0' && c <= '9'; }

bool nonce_char(char c) {
  return digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '-' || c == '_';
}

std::string_view without_leading_zeros(std::string_view digits) {
  const auto first = digits.find_first_not_of('0');
  return first == std::string_view::npos ? digits.substr(digits.size() - 1) : digits.substr(first);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view value(reinterpret_cast<const char*>(data), size);
  using namespace essc::crypto;

  const auto timestamp = parse_timestamp(value);
  const bool timestamp_syntax =
      !value.empty() && value.size() <= kTimestampDigitsMax && all_of(value, digit);
  FUZZ_CHECK(timestamp.has_value() == timestamp_syntax);
  if (timestamp) FUZZ_CHECK(std::to_string(*timestamp) == without_leading_zeros(value));

  const bool nonce_syntax =
      value.size() >= kNonceCharsMin && value.size() <= kNonceCharsMax && all_of(value, nonce_char);
  FUZZ_CHECK(is_valid_nonce(value) == nonce_syntax);

  // The value as a signature over a canonical request built from it.
  const auto canonical =
      canonical_request("POST", "/v1/settlements", "1795651200", "nonce-0123456789ab", value);
  const std::string secret = "fuzz-client-secret";
  const auto expected = sign_request(secret, canonical);
  FUZZ_CHECK(expected.size() == 64);
  FUZZ_CHECK(signature_matches(secret, canonical, expected));
  std::string upper = expected;
  for (auto& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  FUZZ_CHECK(signature_matches(secret, canonical, upper));
  bool same = value.size() == expected.size();
  for (std::size_t i = 0; same && i < value.size(); ++i) {
    same = std::tolower(static_cast<unsigned char>(value[i])) == expected[i];
  }
  FUZZ_CHECK(signature_matches(secret, canonical, value) == same);
  return 0;
}
