#include "crypto/request_signature.hpp"

#include "crypto/encoding.hpp"
#include "crypto/hash.hpp"

namespace essc::crypto {
namespace {

bool is_nonce_char(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' ||
         c == '-';
}

}  // namespace

std::string canonical_request(std::string_view method, std::string_view path_and_query,
                              std::string_view timestamp, std::string_view nonce,
                              std::string_view body) {
  const std::string body_digest = to_hex(sha256(body));
  std::string out;
  out.reserve(method.size() + path_and_query.size() + timestamp.size() + nonce.size() +
              body_digest.size() + 4);
  out.append(method).push_back('\n');
  out.append(path_and_query).push_back('\n');
  out.append(timestamp).push_back('\n');
  out.append(nonce).push_back('\n');
  out.append(body_digest);
  return out;
}

std::string sign_request(std::string_view client_secret, std::string_view canonical) {
  return to_hex(hmac_sha256(client_secret, canonical));
}

bool signature_matches(std::string_view client_secret, std::string_view canonical,
                       std::string_view signature_hex) {
  // Compared as raw bytes, not as text, so that "AB" and "ab" are the same signature
  // and no case-folding step sits beside the constant-time comparison.
  if (signature_hex.size() != kSha256Bytes * 2) return false;
  const std::optional<std::string> given = from_hex(signature_hex);
  if (!given) return false;
  return constant_time_equal(hmac_sha256(client_secret, canonical), *given);
}

bool is_valid_nonce(std::string_view nonce) {
  if (nonce.size() < kNonceCharsMin || nonce.size() > kNonceCharsMax) return false;
  for (char c : nonce) {
    if (!is_nonce_char(c)) return false;
  }
  return true;
}

std::optional<std::int64_t> parse_timestamp(std::string_view timestamp) {
  if (timestamp.empty() || timestamp.size() > kTimestampDigitsMax) return std::nullopt;
  std::int64_t value = 0;
  for (char c : timestamp) {
    if (c < '0' || c > '9') return std::nullopt;
    value = value * 10 + (c - '0');  // ≤ 12 digits: cannot overflow
  }
  return value;
}

}  // namespace essc::crypto
