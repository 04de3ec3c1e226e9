#include "services/certificates.hpp"

#include <boost/json.hpp>
#include <cctype>

#include "common/assert.hpp"
#include "common/clock.hpp"
#include "common/limits.hpp"
#include "common/masking.hpp"
#include "common/prometheus_text.hpp"
#include "crypto/encoding.hpp"
#include "crypto/hash.hpp"
#include "crypto/random.hpp"
#include "store/audit_log.hpp"
#include "store/certificate_repository.hpp"
#include "store/insurance_repository.hpp"

namespace essc::services {
namespace {

constexpr char kCodeAlphabet[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";  // Crockford's base32
constexpr char kSealedField[] = "certificate";
constexpr char kCodeIndexField[] = "certificate_code";
// What a check can answer, in the order of CertificateService::checks_.
constexpr std::array<std::string_view, 5> kCheckOutcomes{"valid", "revoked", "expired", "not_found",
                                                         "rate_limited"};

// kCertificateCodeChars random characters in groups of four: "K7Q2-M9XD-4RTP-8WZA".
std::string new_verify_code() {
  std::string code;
  for (std::size_t i = 0; i < limits::kCertificateCodeChars; ++i) {
    if (i > 0 && i % 4 == 0) code += '-';
    code += kCodeAlphabet[crypto::random_uniform(sizeof kCodeAlphabet - 1)];
  }
  return code;
}

// The code as looked up: upper case, without dashes or spaces.
std::string normalized_code(std::string_view code) {
  std::string out;
  for (const char ch : code) {
    if (ch == '-' || ch == ' ') continue;
    out += static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
  }
  return out;
}

std::optional<domain::Period> period_or_null(const boost::json::value& v) {
  return v.is_string() ? domain::parse_month(v.as_string()) : std::nullopt;
}

boost::json::value period_json(const std::optional<domain::Period>& p) {
  return p ? boost::json::value(p->str()) : boost::json::value(nullptr);
}

// What is sealed with a certificate: its content, verify code and address.
std::string sealed_json(const CertificateDocument& d) {
  boost::json::array lines;
  for (const auto& l : d.content.summary) {
    boost::json::array employers;
    for (const auto& e : l.employers) employers.emplace_back(e);
    lines.push_back({{"insurance", domain::to_string(l.insurance)},
                     {"months", l.months},
                     {"first", period_json(l.first)},
                     {"last", period_json(l.last)},
                     {"employers", std::move(employers)}});
  }
  return boost::json::serialize(boost::json::object{{"name", d.content.name_masked},
                                                    {"id_number", d.content.id_number_masked},
                                                    {"code", d.verify_code},
                                                    {"url", d.verify_url},
                                                    {"summary", std::move(lines)}});
}

// REQUIRES: `json` is what sealed_json wrote.
void read_sealed_json(std::string_view json, CertificateDocument& d) {
  const auto o = boost::json::parse(json).as_object();
  d.content.name_masked = o.at("name").as_string();
  d.content.id_number_masked = o.at("id_number").as_string();
  d.verify_code = o.at("code").as_string();
  d.verify_url = o.at("url").as_string();
  for (const auto& v : o.at("summary").as_array()) {
    const auto& l = v.as_object();
    CertificateContent::Line line;
    line.insurance = *domain::parse_insurance_kind(l.at("insurance").as_string());
    line.months = l.at("months").as_int64();
    line.first = period_or_null(l.at("first"));
    line.last = period_or_null(l.at("last"));
    for (const auto& e : l.at("employers").as_array()) line.employers.emplace_back(e.as_string());
    d.content.summary.push_back(std::move(line));
  }
}

// Per insurance, in the law's order, what the months held from `from` to `to` add up to.
std::vector<CertificateContent::Line> summary_of(
    const std::vector<domain::InsuranceRecord>& records) {
  std::vector<CertificateContent::Line> out;
  for (const auto kind : domain::kInsuranceKinds) {
    std::vector<domain::InsuranceRecord> months;
    for (const auto& r : records) {
      if (r.insurance == kind) months.push_back(r);
    }
    auto s = domain::summarize(months);
    out.push_back({kind, s.months_paid, s.first, s.last, std::move(s.employers)});
  }
  return out;
}

// A new certificate of `records` (the person's months of `period`) issued at `now`.
CertificateDocument new_document(const domain::Person& person,
                                 const std::pair<domain::Period, domain::Period>& period,
                                 const std::vector<domain::InsuranceRecord>& records,
                                 std::int64_t now, std::string_view verify_base) {
  CertificateDocument d;
  d.content = {mask_name(person.name), mask_id_number(person.id_number), period.first,
               period.second, summary_of(records)};
  d.verify_code = new_verify_code();
  d.issued_at_ms = now;
  d.expires_at_ms = now + limits::kCertificateValidityMs;
  d.verify_url = std::string(verify_base) + "/verify/?code=" + d.verify_code;
  return d;
}

std::string status_at(const store::CertificateRecord& r, std::int64_t now_ms) {
  if (r.revoked_at_ms) return "revoked";
  return now_ms >= r.expires_at_ms ? "expired" : "valid";
}

std::string algorithm_of(const crypto::QrSigner& qr, std::string_view kid) {
  for (const auto& k : qr.public_keys()) {
    if (k.kid == kid) return k.algorithm;
  }
  return std::string(crypto::kEd25519);
}

Result<std::pair<domain::Period, domain::Period>> read_period(std::string_view from,
                                                              std::string_view to,
                                                              const domain::Period& this_month) {
  const auto f = domain::parse_month(from);
  if (!f) return Error::invalid_field("from");
  const auto t = domain::parse_month(to);
  if (!t || *t < *f || *t > this_month ||
      domain::months_between(*f, *t) >= limits::kCertificateMonthsMax) {
    return Error::invalid_field("to");
  }
  return std::pair{*f, *t};
}

}  // namespace

Certificate CertificateService::view_of(const store::CertificateRecord& r) const {
  Certificate out;
  out.certificate_id = r.certificate_id;
  const auto opened = vault_.open(kSealedField, r.content_sealed);
  ESSC_INVARIANT(opened);  // sealed by this platform's vault
  read_sealed_json(*opened, out.document);
  out.document.content.from = *domain::parse_month(r.period_from);
  out.document.content.to = *domain::parse_month(r.period_to);
  out.document.issued_at_ms = r.issued_at_ms;
  out.document.expires_at_ms = r.expires_at_ms;
  out.document_sha256 = r.document_sha256;
  out.signature_kid = r.signature_kid;
  out.signature_alg = algorithm_of(qr_, r.signature_kid);
  out.signature = r.signature;
  out.status = status_at(r, clock_.now_ms());
  return out;
}

Result<Certificate> CertificateService::issue(const BindingView& holder, std::string_view from,
                                              std::string_view to) {
  const auto now = clock_.now_ms();
  const auto this_month = *domain::parse_month(format_cst_date(now).substr(0, 7));
  ESSC_ASSIGN_OR_RETURN(auto period, read_period(from, to, this_month));
  const auto& person = holder.person;
  // Read and rendered before the write, which then holds the store's writer only to
  // insert: a record fed meanwhile is not in this certificate, as if it came after.
  const auto records = db_.read([&](store::Connection& c) {
    return store::insurance_records_of(c, person.person_id, period.first, period.second);
  });
  const auto d = new_document(person, period, records, now, public_url_);
  const auto sha256 = crypto::to_hex(crypto::sha256(render_certificate_pdf(d)));
  const auto signature = qr_.sign_statement(std::string(kCertificateStatementPrefix) + sha256);
  const store::CertificateRecord record{
      "ct_" + crypto::random_token(12),
      person.person_id,
      vault_.blind_index(kCodeIndexField, normalized_code(d.verify_code)),
      period.first.str(),
      period.second.str(),
      d.issued_at_ms,
      d.expires_at_ms,
      sha256,
      signature.kid,
      crypto::to_base64(signature.bytes),
      vault_.seal(kSealedField, sealed_json(d)),
      holder.binding.client_id,
      std::nullopt};
  auto written = db_.write<bool>([&](store::Connection& c) -> Result<bool> {
    store::insert_certificate(c, record);
    store::append_audit(c, now, client_audit_name(holder.binding.client_id), "certificate.issue",
                        record.certificate_id, "ok", person.person_id);
    return true;
  });
  if (!written) return std::move(written).error();
  return view_of(record);
}

std::vector<Certificate> CertificateService::list(const BindingView& holder) {
  const auto rows = db_.read(
      [&](store::Connection& c) { return store::certificates_of(c, holder.person.person_id); });
  std::vector<Certificate> out;
  out.reserve(rows.size());
  for (const auto& r : rows) out.push_back(view_of(r));
  return out;
}

Result<std::string> CertificateService::pdf(const BindingView& holder,
                                            std::string_view certificate_id) {
  const auto row =
      db_.read([&](store::Connection& c) { return store::find_certificate(c, certificate_id); });
  if (!row || row->person_id != holder.person.person_id) return Error(ErrorCode::kNotFound);
  auto pdf = render_certificate_pdf(view_of(*row).document);
  if (crypto::to_hex(crypto::sha256(pdf)) != row->document_sha256) {
    return Error(ErrorCode::kInternal, "certificate " + row->certificate_id + " renders otherwise");
  }
  return pdf;
}

Status CertificateService::revoke(const BindingView& holder, std::string_view certificate_id) {
  const auto now = clock_.now_ms();
  auto done = db_.write<bool>([&](store::Connection& c) -> Result<bool> {
    const auto row = store::find_certificate(c, certificate_id);
    if (!row || row->person_id != holder.person.person_id) return Error(ErrorCode::kNotFound);
    if (store::revoke_certificate(c, certificate_id, now)) {
      store::append_audit(c, now, client_audit_name(holder.binding.client_id), "certificate.revoke",
                          row->certificate_id, "ok", row->person_id);
    }
    return true;
  });
  if (!done) return std::move(done).error();
  return {};
}

Result<Certificate> CertificateService::check(std::string_view source,
                                              std::string_view verify_code) {
  auto checked = look_up(source, verify_code);
  const auto outcome = checked.ok()                                      ? checked->status
                       : checked.error().code == ErrorCode::kRateLimited ? "rate_limited"
                                                                         : "not_found";
  for (std::size_t i = 0; i < kCheckOutcomes.size(); ++i) {
    if (kCheckOutcomes[i] == outcome) checks_[i].fetch_add(1, std::memory_order_relaxed);
  }
  return checked;
}

std::string CertificateService::render_checks() const {
  static constexpr char kName[] = "essc_certificate_checks_total";
  std::string out;
  append_metric_header(out, kName, "Certificate checks by verify code, by outcome.", "counter");
  for (std::size_t i = 0; i < kCheckOutcomes.size(); ++i) {
    out += std::string(kName) + "{status=\"" + std::string(kCheckOutcomes[i]) + "\"} " +
           std::to_string(checks_[i].load(std::memory_order_relaxed)) + "\n";
  }
  return out;
}

Result<Certificate> CertificateService::look_up(std::string_view source,
                                                std::string_view verify_code) {
  const auto now = clock_.now_ms();
  const auto window = limits::kClientRateWindowMs;
  // Each check claims a nonce of its own, so that it counts in the source's window on
  // every server of a shared store (store/request_nonces.hpp).
  const auto hits =
      nonces_.claim_and_count("certificate-check", crypto::random_token(16), now, now + window,
                              "certificate-check:" + std::string(source), window);
  if (hits && *hits > limits::kCertificateChecksPerWindow) {
    Error e(ErrorCode::kRateLimited, "certificate checks");
    e.extras.retry_after = retry_after_seconds(window - now % window);
    return e;
  }
  const auto code = normalized_code(verify_code);
  if (code.size() != limits::kCertificateCodeChars) return Error(ErrorCode::kNotFound);
  const auto row = db_.read([&](store::Connection& c) {
    return store::find_certificate_by_code(c, vault_.blind_index(kCodeIndexField, code));
  });
  if (!row) return Error(ErrorCode::kNotFound);
  return view_of(*row);
}

}  // namespace essc::services
