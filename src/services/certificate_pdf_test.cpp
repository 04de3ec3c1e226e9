// R-R3: the 参保证明 PDF is real text (pdftotext finds the title and the masked name),
// renders to an image (pdftoppm), and is the same bytes every time it is rendered from
// the same certificate.
#include "services/certificate_pdf.hpp"

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <iterator>

#include "support/test_platform.hpp"

namespace essc::services {
namespace {

CertificateDocument document() {
  CertificateDocument d;
  d.content.name_masked = "*三";
  d.content.id_number_masked = "330***********0011";
  d.content.from = {2021, 1};
  d.content.to = {2026, 10};
  d.content.summary.push_back({domain::InsuranceKind::kPension,
                               67,
                               domain::Period{2021, 1},
                               domain::Period{2026, 10},
                               {"宁波港集团有限公司", "宁波银行股份有限公司"}});
  d.content.summary.push_back({domain::InsuranceKind::kMedical, 0, std::nullopt, std::nullopt, {}});
  d.verify_code = "K7Q2-M9XD-4RTP-8WZA";
  d.issued_at_ms = testing::kTestEpochMs;
  d.expires_at_ms = testing::kTestEpochMs + std::int64_t{90} * 86'400'000;
  d.verify_url = "https://essc.example.cn/verify/?code=K7Q2-M9XD-4RTP-8WZA";
  return d;
}

std::string read_all(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

TEST(CertificatePdfTest, R_R3_RendersTheSameBytesFromTheSameCertificate) {
  const auto pdf = render_certificate_pdf(document());
  ASSERT_EQ(pdf.substr(0, 5), "%PDF-");
  EXPECT_EQ(render_certificate_pdf(document()), pdf);
  auto later = document();
  later.issued_at_ms += 1000;  // another certificate: another creation date
  EXPECT_NE(render_certificate_pdf(later), pdf);
}

TEST(CertificatePdfTest, R_R3_TextIsExtractableAndThePageRendersToAnImage) {
  testing::TempDir dir;
  const auto pdf_path = dir.path() / "certificate.pdf";
  std::ofstream(pdf_path, std::ios::binary) << render_certificate_pdf(document());
  const auto text_path = dir.path() / "certificate.txt";
  ASSERT_EQ(
      std::system(("pdftotext -enc UTF-8 '" + pdf_path.string() + "' '" + text_path.string() + "'")
                      .c_str()),
      0);
  const auto text = read_all(text_path);
  EXPECT_NE(text.find("参保证明"), std::string::npos) << text;
  EXPECT_NE(text.find("*三"), std::string::npos) << text;
  EXPECT_NE(text.find("330***********0011"), std::string::npos) << text;
  EXPECT_NE(text.find("职工基本养老保险"), std::string::npos) << text;
  EXPECT_NE(text.find("K7Q2-M9XD-4RTP-8WZA"), std::string::npos) << text;
  EXPECT_EQ(text.find("张三"), std::string::npos);  // the name only masked
  const auto png_prefix = dir.path() / "page";
  ASSERT_EQ(std::system(("pdftoppm -png -r 72 -singlefile '" + pdf_path.string() + "' '" +
                         png_prefix.string() + "'")
                            .c_str()),
            0);
  const auto png = read_all(dir.path() / "page.png");
  ASSERT_GT(png.size(), 1000U);
  EXPECT_EQ(png.substr(0, 8), std::string("\x89PNG\r\n\x1a\n", 8));
}

}  // namespace
}  // namespace essc::services
