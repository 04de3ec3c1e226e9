// The 参保证明 issued (R-R3): one row per certificate, keyed by its id and found by its
// person or by the blind index of its verify code. What it certifies is sealed by the
// caller; the repository stores the bytes as they come.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "store/sql.hpp"

namespace essc::store {

struct CertificateRecord {
  std::string certificate_id;
  std::int64_t person_id = 0;
  std::string verify_code_index;  // PiiVault::blind_index of the verify code
  std::string period_from;        // "YYYY-MM"
  std::string period_to;
  std::int64_t issued_at_ms = 0;
  std::int64_t expires_at_ms = 0;
  std::string document_sha256;  // lowercase hex
  std::string signature_kid;
  std::string signature;       // base64
  std::string content_sealed;  // the certified content, sealed
  std::string issued_by;       // the channel's client id
  std::optional<std::int64_t> revoked_at_ms;
};

void insert_certificate(Connection& c, const CertificateRecord& r);
std::optional<CertificateRecord> find_certificate(Connection& c, std::string_view certificate_id);
std::optional<CertificateRecord> find_certificate_by_code(Connection& c,
                                                          std::string_view verify_code_index);
// The person's certificates, newest first.
std::vector<CertificateRecord> certificates_of(Connection& c, std::int64_t person_id);
// Sets revoked_at_ms unless it is set already; false when it was.
bool revoke_certificate(Connection& c, std::string_view certificate_id, std::int64_t now_ms);

}  // namespace essc::store
