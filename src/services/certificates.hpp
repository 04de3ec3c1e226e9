// 参保证明 (proof of insurance, R-R3): the cardholder asks for a certificate over a
// period of months; the platform renders the PDF (services/certificate_pdf.hpp) from the
// insurance history held, signs its SHA-256 with the QR key and keeps the record, not
// the PDF. Anyone holding the verify code checks it (rate limited per source address);
// the cardholder lists, downloads again (the same bytes) and revokes.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/clock.hpp"
#include "common/result.hpp"
#include "crypto/pii_vault.hpp"
#include "crypto/qr_token.hpp"
#include "services/certificate_pdf.hpp"
#include "services/ecards.hpp"
#include "store/certificate_repository.hpp"
#include "store/database.hpp"
#include "store/request_nonces.hpp"

namespace essc::services {

// The statement the platform signs for a certificate: this prefix, then the PDF's
// SHA-256 in lowercase hex (API.md).
inline constexpr std::string_view kCertificateStatementPrefix = "ESSC-CERT1.";

struct Certificate {
  std::string certificate_id;
  CertificateDocument document;  // content, verify code and address, issue and expiry
  std::string document_sha256;   // lowercase hex
  std::string signature_kid;
  std::string signature_alg;  // "Ed25519" (or "SM2" where the QR key is SM2)
  std::string signature;      // base64
  std::string status;         // valid | revoked | expired
};

class CertificateService {
 public:
  CertificateService(const Clock& clock, store::Database& db, store::RequestNonces& nonces,
                     const crypto::PiiVault& vault, const crypto::QrSigner& qr)
      : clock_(clock), db_(db), nonces_(nonces), vault_(vault), qr_(qr) {}

  // The platform's public address (e.g. "https://essc.example.cn", `[server] public_url`),
  // which the QR code's `/verify/?code=…` is under. Set once at start-up, before any
  // issue(): never taken from a request, whose Host a caller chooses.
  void use_public_url(std::string url) { public_url_ = std::move(url); }

  // `from`, `to`: "YYYY-MM", from ≤ to ≤ this month, at most kCertificateMonthsMax
  // months (INVALID_REQUEST naming `from` or `to`).
  Result<Certificate> issue(const BindingView& holder, std::string_view from, std::string_view to);
  // The cardholder's certificates, newest first.
  std::vector<Certificate> list(const BindingView& holder);
  // The PDF rendered again from the stored record: INTERNAL if its SHA-256 is not the
  // signed one (the renderer changed); NOT_FOUND for another person's certificate.
  Result<std::string> pdf(const BindingView& holder, std::string_view certificate_id);
  // Audited; revoking a revoked certificate again changes nothing.
  Status revoke(const BindingView& holder, std::string_view certificate_id);
  // A check by verify code (dashes, spaces and case ignored): NOT_FOUND for an unknown
  // code, RATE_LIMITED past kCertificateChecksPerWindow checks of `source` a window.
  Result<Certificate> check(std::string_view source, std::string_view verify_code);

  // The checks since start-up by outcome (valid, revoked, expired, not_found,
  // rate_limited), as /metrics shows them: essc_certificate_checks_total{status}.
  std::string render_checks() const;

 private:
  Result<Certificate> look_up(std::string_view source, std::string_view verify_code);
  // The stored record as the cardholder and a checker see it, its status as of now.
  Certificate view_of(const store::CertificateRecord& r) const;

  const Clock& clock_;
  store::Database& db_;
  store::RequestNonces& nonces_;
  const crypto::PiiVault& vault_;
  const crypto::QrSigner& qr_;
  std::string public_url_ = "http://localhost";  // until use_public_url()
  std::array<std::atomic<std::uint64_t>, 5> checks_{};
};

}  // namespace essc::services
