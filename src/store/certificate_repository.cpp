#include "store/certificate_repository.hpp"

namespace essc::store {
namespace {

#define ESSC_CERTIFICATE_COLUMNS                                                          \
  "certificate_id, person_id, verify_code_index, period_from, period_to, issued_at_ms, "  \
  "expires_at_ms, document_sha256, signature_kid, signature, content_sealed, issued_by, " \
  "revoked_at_ms"
constexpr char kInsert[] = "INSERT INTO certificates (" ESSC_CERTIFICATE_COLUMNS
                           ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
constexpr char kFind[] =
    "SELECT " ESSC_CERTIFICATE_COLUMNS " FROM certificates WHERE certificate_id = ?";
constexpr char kByCode[] =
    "SELECT " ESSC_CERTIFICATE_COLUMNS " FROM certificates WHERE verify_code_index = ?";
constexpr char kOfPerson[] = "SELECT " ESSC_CERTIFICATE_COLUMNS
                             " FROM certificates WHERE person_id = ? "
                             "ORDER BY issued_at_ms DESC, certificate_id DESC";
#undef ESSC_CERTIFICATE_COLUMNS
constexpr char kRevoke[] =
    "UPDATE certificates SET revoked_at_ms = ? WHERE certificate_id = ? AND revoked_at_ms IS NULL";
constexpr char kRevoked[] = "SELECT revoked_at_ms FROM certificates WHERE certificate_id = ?";

CertificateRecord from_row(const Statement& s) {
  return {s.text(0), s.int64(1), s.blob(2), s.text(3),  s.text(4),  s.int64(5),          s.int64(6),
          s.text(7), s.text(8),  s.text(9), s.blob(10), s.text(11), s.optional_int64(12)};
}

}  // namespace

void insert_certificate(Connection& c, const CertificateRecord& r) {
  auto& s = c.prepare(kInsert);
  s.bind_all(r.certificate_id, r.person_id);
  s.bind_blob(3, r.verify_code_index);
  s.bind(4, r.period_from).bind(5, r.period_to).bind(6, r.issued_at_ms).bind(7, r.expires_at_ms);
  s.bind(8, r.document_sha256).bind(9, r.signature_kid).bind(10, r.signature);
  s.bind_blob(11, r.content_sealed);
  s.bind(12, r.issued_by).bind(13, r.revoked_at_ms);
  s.run();
}

std::optional<CertificateRecord> find_certificate(Connection& c, std::string_view certificate_id) {
  return c.prepare(kFind).bind_all(certificate_id).first(from_row);
}

std::optional<CertificateRecord> find_certificate_by_code(Connection& c,
                                                          std::string_view verify_code_index) {
  return c.prepare(kByCode).bind_blob(1, verify_code_index).first(from_row);
}

std::vector<CertificateRecord> certificates_of(Connection& c, std::int64_t person_id) {
  std::vector<CertificateRecord> out;
  auto& s = c.prepare(kOfPerson).bind_all(person_id);
  while (s.step()) out.push_back(from_row(s));
  s.reset();
  return out;
}

bool revoke_certificate(Connection& c, std::string_view certificate_id, std::int64_t now_ms) {
  const auto before = c.prepare(kRevoked).bind_all(certificate_id).first([](const Statement& s) {
    return s.is_null(0);
  });
  if (!before || !*before) return false;
  c.prepare(kRevoke).bind_all(now_ms, certificate_id).run();
  return true;
}

}  // namespace essc::store
