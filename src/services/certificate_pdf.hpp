// The 参保证明 (proof of insurance, R-R3) as a PDF: real text in an embedded CJK font,
// laid out by Pango and drawn by Cairo, with a QR code of the verify address drawn as
// vector squares. The bytes depend only on the document given (Cairo's creation date is
// set from the issue time), so the PDF renders again byte for byte from the stored
// certificate and its SHA-256 stays the one signed at issue.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "domain/insurance_record.hpp"

namespace essc::services {

// What a certificate certifies, as stored with it.
struct CertificateContent {
  std::string name_masked;
  std::string id_number_masked;
  domain::Period from;
  domain::Period to;
  struct Line {
    domain::InsuranceKind insurance = domain::InsuranceKind::kPension;
    std::int64_t months = 0;
    std::optional<domain::Period> first;
    std::optional<domain::Period> last;
    std::vector<std::string> employers;
  };
  std::vector<Line> summary;  // the five insurances in the law's order
};

struct CertificateDocument {
  CertificateContent content;
  std::string verify_code;
  std::int64_t issued_at_ms = 0;
  std::int64_t expires_at_ms = 0;
  std::string verify_url;  // <public base>/verify/?code=…
};

// The PDF file's bytes. Throws std::runtime_error if Cairo fails (out of memory).
std::string render_certificate_pdf(const CertificateDocument& document);

}  // namespace essc::services
