// Renders a QR token as a PNG image a standard reader decodes (R-U2): qrcodegen for
// the symbol, with one fixed mask, and zlib for the PNG's compressed image data.
// Why a fixed mask: choosing the best of eight (libqrencode, or qrcodegen's default)
// builds and scores all eight symbols, most of the encoder's time, and ZXing and the
// in-page decoder read every mask (docs/performance.md "QR images").
#pragma once

#include <string>
#include <string_view>

#include "common/result.hpp"

namespace essc::services {

// The PNG file bytes: 1-bit greyscale, `module_pixels` per module, with the four-module
// quiet zone readers need. UNAVAILABLE only if the encoder fails (text too long).
Result<std::string> render_qr_png(std::string_view text, int module_pixels = 4);

}  // namespace essc::services
