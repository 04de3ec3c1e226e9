// Renders a QR token as a PNG image a standard reader decodes (R-U2): the platform's own
// encoder (qr_encoder.hpp) for the symbol, at level M with the mask the standard's
// penalty rules choose, and zlib for the PNG's compressed image data.
#pragma once

#include <string>
#include <string_view>

#include "common/result.hpp"

namespace essc::services {

// The PNG file bytes: 1-bit greyscale, `module_pixels` per module, with the four-module
// quiet zone readers need. UNAVAILABLE only if the encoder fails (text too long).
Result<std::string> render_qr_png(std::string_view text, int module_pixels = 4);

}  // namespace essc::services
