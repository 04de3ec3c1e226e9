#include "services/certificate_pdf.hpp"

#include <cairo-pdf.h>
#include <cairo.h>
#include <pango/pangocairo.h>

#include <memory>
#include <qrcodegen/qrcodegen.hpp>
#include <stdexcept>

#include "common/clock.hpp"

namespace essc::services {
namespace {

// A4 in PostScript points, and the page's margins.
constexpr double kPageWidth = 595.0;
constexpr double kPageHeight = 842.0;
constexpr double kMargin = 56.0;
constexpr double kQrSize = 96.0;
constexpr char kPlatform[] = "电子社保卡服务平台";
constexpr char kFont[] = "Noto Sans CJK SC";

cairo_status_t append_bytes(void* closure, const unsigned char* data, unsigned int length) {
  static_cast<std::string*>(closure)->append(reinterpret_cast<const char*>(data), length);
  return CAIRO_STATUS_SUCCESS;
}

std::string period_zh(const domain::Period& p) {
  return std::to_string(p.year) + "年" + std::to_string(p.month) + "月";
}

class Page {
 public:
  explicit Page(cairo_t* cr) : cr_(cr) {}

  // Text at (x, y) in the given size, wrapped at `width`; returns its height.
  double text(double x, double y, const std::string& utf8, double size, bool bold = false,
              double width = kPageWidth - 2 * kMargin) {
    std::unique_ptr<PangoLayout, decltype(&g_object_unref)> layout(pango_cairo_create_layout(cr_),
                                                                   g_object_unref);
    std::unique_ptr<PangoFontDescription, decltype(&pango_font_description_free)> font(
        pango_font_description_from_string(kFont), pango_font_description_free);
    pango_font_description_set_absolute_size(font.get(), size * PANGO_SCALE);
    pango_font_description_set_weight(font.get(), bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
    pango_layout_set_font_description(layout.get(), font.get());
    pango_layout_set_width(layout.get(), static_cast<int>(width * PANGO_SCALE));
    pango_layout_set_wrap(layout.get(), PANGO_WRAP_WORD_CHAR);
    pango_layout_set_text(layout.get(), utf8.c_str(), -1);
    cairo_move_to(cr_, x, y);
    pango_cairo_show_layout(cr_, layout.get());
    int w = 0;
    int h = 0;
    pango_layout_get_size(layout.get(), &w, &h);
    return static_cast<double>(h) / PANGO_SCALE;
  }

  void line(double x1, double y1, double x2, double y2) {
    cairo_set_line_width(cr_, 0.6);
    cairo_move_to(cr_, x1, y1);
    cairo_line_to(cr_, x2, y2);
    cairo_stroke(cr_);
  }

  void qr(double x, double y, double size, const std::string& text) {
    const auto code = qrcodegen::QrCode::encodeText(text.c_str(), qrcodegen::QrCode::Ecc::MEDIUM);
    const int n = code.getSize();
    const double module = size / (n + 8);  // with the four-module quiet zone
    for (int row = 0; row < n; ++row) {
      for (int col = 0; col < n; ++col) {
        if (code.getModule(col, row)) {
          cairo_rectangle(cr_, x + (col + 4) * module, y + (row + 4) * module, module, module);
        }
      }
    }
    cairo_fill(cr_);
  }

 private:
  cairo_t* cr_;
};

}  // namespace

std::string render_certificate_pdf(const CertificateDocument& d) {
  std::string pdf;
  // Owned here, so that a throw on the way cannot leak them (tests/lsan.supp).
  std::unique_ptr<cairo_surface_t, decltype(&cairo_surface_destroy)> surface(
      cairo_pdf_surface_create_for_stream(append_bytes, &pdf, kPageWidth, kPageHeight),
      cairo_surface_destroy);
  // Every varying datum of the file comes from the certificate: the creation date is its
  // issue time, and no modification date is written.
  const auto issued = format_rfc3339(d.issued_at_ms);
  cairo_pdf_surface_set_metadata(surface.get(), CAIRO_PDF_METADATA_CREATE_DATE, issued.c_str());
  cairo_pdf_surface_set_metadata(surface.get(), CAIRO_PDF_METADATA_TITLE, "参保证明");
  cairo_pdf_surface_set_metadata(surface.get(), CAIRO_PDF_METADATA_CREATOR, kPlatform);
  std::unique_ptr<cairo_t, decltype(&cairo_destroy)> cr(cairo_create(surface.get()), cairo_destroy);
  cairo_set_source_rgb(cr.get(), 0, 0, 0);
  Page page(cr.get());
  const auto& c = d.content;
  const double left = kMargin;
  const double width = kPageWidth - 2 * kMargin;
  double y = kMargin;

  y += page.text(left + width / 2 - 60, y, "参保证明", 28, true) + 6;
  y += page.text(left + width / 2 - 110, y, "Certificate of Social Insurance", 12) + 18;
  y +=
      page.text(left, y, "姓名：" + c.name_masked + "　　公民身份号码：" + c.id_number_masked, 12) +
      6;
  y += page.text(left, y,
                 "证明期间：" + period_zh(c.from) + " 至 " + period_zh(c.to) + "（" + c.from.str() +
                     " — " + c.to.str() + "）",
                 12) +
       14;
  y += page.text(left, y,
                 "经查询，该参保人在证明期间内的参保缴费情况如下（依据本平台所存参保缴费记录）：",
                 11) +
       10;

  // The table: insurance, months paid, first and last month, employers.
  const double col[] = {left, left + 130, left + 190, left + 260, left + 330};
  page.line(left, y, left + width, y);
  y += 4;
  page.text(col[0], y, "险种", 11, true);
  page.text(col[1], y, "缴费月数", 11, true);
  page.text(col[2], y, "起始年月", 11, true);
  page.text(col[3], y, "截止年月", 11, true);
  y += page.text(col[4], y, "缴费单位", 11, true, left + width - col[4]) + 4;
  page.line(left, y, left + width, y);
  for (const auto& l : c.summary) {
    y += 4;
    std::string employers;
    for (const auto& e : l.employers) employers += (employers.empty() ? "" : "、") + e;
    page.text(col[0], y, std::string(domain::chinese_name(l.insurance)), 10.5);
    page.text(col[1], y, std::to_string(l.months), 10.5);
    page.text(col[2], y, l.first ? l.first->str() : "—", 10.5);
    page.text(col[3], y, l.last ? l.last->str() : "—", 10.5);
    const double h = page.text(col[4], y, employers.empty() ? "—" : employers, 10.5, false,
                               left + width - col[4]);
    y += std::max(h, 14.0) + 4;
    page.line(left, y, left + width, y);
  }
  y += 16;
  y += page.text(left, y,
                 "本证明由" + std::string(kPlatform) + "出具，有效期至 " +
                     format_cst_date(d.expires_at_ms) +
                     "。查验方可扫描右侧二维码或访问查验地址，输入查验码核对本证明的内容与状态；"
                     "本文件的 SHA-256 由平台以公布的密钥签名。",
                 10.5) +
       12;
  const double qr_top = y;
  page.text(left, y, "查验码 Verify code：" + d.verify_code, 12, true);
  page.text(left, y + 22, "查验地址：" + d.verify_url, 9, false, width - kQrSize - 20);
  page.text(left, y + 54, "出具平台：" + std::string(kPlatform), 11);
  page.text(left, y + 74, "出具日期：" + format_cst_date(d.issued_at_ms), 11);
  page.qr(left + width - kQrSize, qr_top, kQrSize, d.verify_url);

  cairo_show_page(cr.get());
  cr.reset();
  cairo_surface_finish(surface.get());
  const auto status = cairo_surface_status(surface.get());
  if (status != CAIRO_STATUS_SUCCESS) {
    throw std::runtime_error(std::string("cairo: ") + cairo_status_to_string(status));
  }
  return pdf;
}

}  // namespace essc::services
