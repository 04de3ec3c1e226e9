// 参保证明 (R-R3) on both store engines: a certificate over a period of the insurance
// history, its PDF's SHA-256 signed with the QR key, rendered again byte for byte, checked
// by its verify code (valid, revoked, expired, unknown), checks rate limited per source.
#include "services/certificates.hpp"

#include <gtest/gtest.h>

#include <regex>

#include "common/limits.hpp"
#include "crypto/encoding.hpp"
#include "crypto/hash.hpp"
#include "domain/operator.hpp"
#include "services/platform.hpp"
#include "store/person_repository.hpp"
#include "support/test_platform.hpp"

namespace essc::services {
namespace {

constexpr char kBase[] = "https://essc.example.cn";

class CertificatesTest : public ::testing::Test {
 protected:
  CertificatesTest() {
    p().certificates.use_public_url(kBase);
    const auto clerk =
        Actor::of_operator(t_.make_operator("clerk", domain::OperatorRole::kHrClerk));
    holder_ = add_person(clerk, "张三", "33020219900307123");
    other_ = add_person(clerk, "李四", "33020219851111002");
    std::vector<domain::InsuranceRecordInput> items;
    for (int m = 1; m <= 12; ++m) {
      const auto month = "2025-" + std::string(m < 10 ? "0" : "") + std::to_string(m);
      items.push_back(record("pension", month, m <= 6 ? "宁波港集团" : "宁波银行"));
      if (m >= 4) items.push_back(record("medical", month, "宁波银行"));
    }
    items.push_back(record("pension", "2024-12", "宁波港集团"));  // before the period asked
    EXPECT_TRUE(p().insurance.add(clerk, holder_.person.id_number, items).ok());
  }

  BindingView add_person(const Actor& clerk, const std::string& name, const std::string& first17) {
    const auto id = testing::make_id_number(first17);
    EXPECT_TRUE(
        p().registry.add_person(clerk, {name, id, "330200", std::nullopt, true, true}).ok());
    BindingView view;
    view.person = *t_.ctx().db.read([&](store::Connection& c) {
      return store::find_person_by_id_number(c, t_.ctx().vault, id);
    });
    view.binding.client_id = "ch_test";
    return view;
  }

  static domain::InsuranceRecordInput record(std::string insurance, std::string period,
                                             std::string employer) {
    return {std::move(insurance), std::move(period), 800000, 128000, 64000,
            std::move(employer),  "330200"};
  }

  Certificate issue(const BindingView& who = {}) {
    auto c = p().certificates.issue(who.person.person_id ? who : holder_, "2025-01", "2025-12");
    EXPECT_TRUE(c.ok()) << (c.ok() ? "" : c.error().detail);
    return c.ok() ? *c : Certificate{};
  }

  Platform& p() { return t_.platform(); }

  testing::TestPlatform t_;
  BindingView holder_;
  BindingView other_;
};

TEST_F(CertificatesTest, R_R3_TheSha256OfThePdfIsSignedWithTheQrKeyAndRendersAgain) {
  const auto c = issue();
  EXPECT_TRUE(std::regex_match(c.document.verify_code,
                               std::regex("[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){3}")))
      << c.document.verify_code;
  EXPECT_EQ(c.document.verify_url, std::string(kBase) + "/verify/?code=" + c.document.verify_code);
  EXPECT_EQ(c.status, "valid");
  EXPECT_EQ(c.document.expires_at_ms - c.document.issued_at_ms, limits::kCertificateValidityMs);
  EXPECT_EQ(c.signature_alg, "Ed25519");
  const auto pdf = p().certificates.pdf(holder_, c.certificate_id);
  ASSERT_TRUE(pdf.ok());
  EXPECT_EQ(crypto::to_hex(crypto::sha256(*pdf)), c.document_sha256);
  EXPECT_EQ(*p().certificates.pdf(holder_, c.certificate_id), *pdf);  // the same bytes again
  const auto signature = crypto::from_base64(c.signature);
  ASSERT_TRUE(signature);
  EXPECT_TRUE(
      t_.qr().verify_statement(c.signature_kid, "ESSC-CERT1." + c.document_sha256, *signature));
  EXPECT_FALSE(
      t_.qr().verify_statement(c.signature_kid, "ESSC-CERT1." + std::string(64, '0'), *signature));
  t_.sequence_audit();
  const auto audit = t_.audit_entries();
  ASSERT_FALSE(audit.empty());
  EXPECT_EQ(audit.back().action, "certificate.issue");
  EXPECT_EQ(audit.back().target, c.certificate_id);
}

TEST_F(CertificatesTest, R_R3_TheContentIsThePeriodsMonthsMaskedAndSealedAtRest) {
  const auto c = issue();
  const auto& content = c.document.content;
  EXPECT_EQ(content.name_masked, "*三");
  EXPECT_EQ(content.id_number_masked.substr(0, 3), "330");
  EXPECT_EQ(content.from.str(), "2025-01");
  EXPECT_EQ(content.to.str(), "2025-12");
  ASSERT_EQ(content.summary.size(), 5U);
  EXPECT_EQ(content.summary[0].months, 12);  // 2024-12 is outside the period
  EXPECT_EQ(content.summary[0].first->str(), "2025-01");
  EXPECT_EQ(content.summary[0].employers, (std::vector<std::string>{"宁波港集团", "宁波银行"}));
  EXPECT_EQ(content.summary[1].months, 9);
  EXPECT_EQ(content.summary[1].first->str(), "2025-04");
  EXPECT_EQ(content.summary[2].months, 0);
  EXPECT_FALSE(content.summary[2].first);
  const auto dump = t_.store_dump();
  EXPECT_EQ(dump.find(c.document.verify_code), std::string::npos);
  EXPECT_EQ(dump.find("宁波港集团\",\"宁波银行"), std::string::npos);
  // Another certificate has another code.
  EXPECT_NE(issue().document.verify_code, c.document.verify_code);
}

TEST_F(CertificatesTest, R_R3_ACheckShowsValidRevokedAndExpiredAndAnUnknownCodeIsNotFound) {
  const auto first = issue();
  auto lower = first.document.verify_code;
  std::erase(lower, '-');
  for (auto& ch : lower) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  const auto checked = p().certificates.check("192.0.2.1", lower);
  ASSERT_TRUE(checked.ok());
  EXPECT_EQ(checked->certificate_id, first.certificate_id);
  EXPECT_EQ(checked->status, "valid");
  EXPECT_EQ(checked->document_sha256, first.document_sha256);

  ASSERT_TRUE(p().certificates.revoke(holder_, first.certificate_id).ok());
  ASSERT_TRUE(p().certificates.revoke(holder_, first.certificate_id).ok());  // no change
  EXPECT_EQ(p().certificates.check("192.0.2.1", first.document.verify_code)->status, "revoked");
  t_.sequence_audit();
  const auto audit = t_.audit_entries();
  EXPECT_EQ(std::count_if(audit.begin(), audit.end(),
                          [](const auto& e) { return e.action == "certificate.revoke"; }),
            1);

  t_.clock().advance_ms(1000);
  const auto second = issue();
  t_.clock().advance_ms(limits::kCertificateValidityMs);
  EXPECT_EQ(p().certificates.check("192.0.2.1", second.document.verify_code)->status, "expired");
  const auto listed = p().certificates.list(holder_);
  ASSERT_EQ(listed.size(), 2U);
  EXPECT_EQ(listed[0].certificate_id, second.certificate_id);  // newest first
  EXPECT_EQ(listed[0].status, "expired");
  EXPECT_EQ(listed[1].status, "revoked");

  EXPECT_EQ(p().certificates.check("192.0.2.1", "0000-0000-0000-0000").error().code,
            ErrorCode::kNotFound);
  EXPECT_EQ(p().certificates.check("192.0.2.1", "short").error().code, ErrorCode::kNotFound);
}

TEST_F(CertificatesTest, R_R3_AnotherPersonsCertificateIsNotFound) {
  const auto c = issue();
  EXPECT_EQ(p().certificates.pdf(other_, c.certificate_id).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(p().certificates.revoke(other_, c.certificate_id).error().code, ErrorCode::kNotFound);
  EXPECT_TRUE(p().certificates.list(other_).empty());
  EXPECT_EQ(p().certificates.check("192.0.2.1", c.document.verify_code)->status, "valid");
  // Someone without any history is certified with none.
  const auto none = issue(other_);
  EXPECT_EQ(none.document.content.summary[0].months, 0);
}

TEST_F(CertificatesTest, R_R3_ThePeriodIsMonthsUpToThisOne) {
  const auto field = [&](std::string_view from, std::string_view to) {
    auto r = p().certificates.issue(holder_, from, to);
    return r.ok() ? std::string("ok") : r.error().extras.field.value_or("?");
  };
  EXPECT_EQ(field("2025-13", "2025-12"), "from");
  EXPECT_EQ(field("2025", "2025-12"), "from");
  EXPECT_EQ(field("2025-06", "2025-05"), "to");
  EXPECT_EQ(field("2025-01", "2027-01"), "to");  // the test's day is in 2026-11
  EXPECT_EQ(field("1975-01", "2025-12"), "to");  // beyond kCertificateMonthsMax
  EXPECT_EQ(field("1976-01", "2025-12"), "ok");
  EXPECT_EQ(field("2026-11", "2026-11"), "ok");
}

TEST_F(CertificatesTest, R_R3_ChecksAreRateLimitedPerSourceAddress) {
  const auto code = issue().document.verify_code;
  for (std::int64_t i = 0; i < limits::kCertificateChecksPerWindow; ++i) {
    const auto r = p().certificates.check("198.51.100.7", i % 2 ? code : "0000-0000-0000-0000");
    ASSERT_NE(r.ok() ? ErrorCode::kInternal : r.error().code, ErrorCode::kRateLimited) << i;
  }
  const auto limited = p().certificates.check("198.51.100.7", code);
  ASSERT_FALSE(limited.ok());
  EXPECT_EQ(limited.error().code, ErrorCode::kRateLimited);
  EXPECT_GT(limited.error().extras.retry_after.value_or(0), 0);
  EXPECT_TRUE(p().certificates.check("198.51.100.8", code).ok());  // another source
  t_.clock().advance_ms(limits::kClientRateWindowMs);
  EXPECT_TRUE(p().certificates.check("198.51.100.7", code).ok());
}

}  // namespace
}  // namespace essc::services
