#include "services/qr_image.hpp"

#include <qrencode.h>
#include <zlib.h>

#include <algorithm>
#include <memory>
#include <vector>

namespace essc::services {
namespace {

constexpr int kQuietZoneModules = 4;

void append_u32(std::string& out, std::uint32_t value) {
  for (int shift = 24; shift >= 0; shift -= 8) out += static_cast<char>((value >> shift) & 0xff);
}

void append_chunk(std::string& png, const char (&type)[5], const std::string& data) {
  append_u32(png, static_cast<std::uint32_t>(data.size()));
  const std::string typed = std::string(type, 4) + data;
  png += typed;
  append_u32(png, static_cast<std::uint32_t>(
                      crc32(0, reinterpret_cast<const Bytef*>(typed.data()), static_cast<uInt>(typed.size()))));
}

}  // namespace

Result<std::string> render_qr_png(std::string_view text, int module_pixels) {
  const std::string input(text);
  std::unique_ptr<QRcode, decltype(&QRcode_free)> code(
      QRcode_encodeString8bit(input.c_str(), 0, QR_ECLEVEL_M), &QRcode_free);
  if (!code) return Error(ErrorCode::kUnavailable, "QR encoding failed");
  const int modules = code->width + 2 * kQuietZoneModules;
  const int size = modules * module_pixels;
  // Each row: a filter byte (0, none) and the pixels packed eight to a byte, the first in
  // the high bit, 1 white and 0 black (1-bit greyscale). A byte per pixel made eight
  // times the data to deflate, which was most of a QR issuance's time.
  const std::size_t row_bytes = (static_cast<std::size_t>(size) + 7) / 8;
  std::string raw(static_cast<std::size_t>(size) * (row_bytes + 1), '\0');
  for (int y = 0; y < size; ++y) {
    char* row = raw.data() + static_cast<std::size_t>(y) * (row_bytes + 1) + 1;
    if (y % module_pixels != 0) {  // the same modules as the row above
      std::copy_n(row - row_bytes - 1, row_bytes, row);
      continue;
    }
    const int my = y / module_pixels - kQuietZoneModules;
    for (int x = 0; x < size; ++x) {
      const int mx = x / module_pixels - kQuietZoneModules;
      const bool inside = mx >= 0 && my >= 0 && mx < code->width && my < code->width;
      const bool dark = inside && (code->data[my * code->width + mx] & 1) != 0;
      if (!dark) row[x / 8] = static_cast<char>(row[x / 8] | (0x80 >> (x % 8)));
    }
  }
  // zlib's default level: at 9 the compressor searched long match chains through the
  // repeated rows for 4 % less output, and was most of the CPU time of a QR issuance.
  uLongf compressed_size = compressBound(static_cast<uLong>(raw.size()));
  std::string compressed(compressed_size, '\0');
  if (compress2(reinterpret_cast<Bytef*>(compressed.data()), &compressed_size,
                reinterpret_cast<const Bytef*>(raw.data()), static_cast<uLong>(raw.size()), Z_DEFAULT_COMPRESSION) != Z_OK) {
    return Error(ErrorCode::kUnavailable, "PNG compression failed");
  }
  compressed.resize(compressed_size);

  std::string png("\x89PNG\r\n\x1a\n", 8);
  std::string header;
  append_u32(header, static_cast<std::uint32_t>(size));
  append_u32(header, static_cast<std::uint32_t>(size));
  header += std::string("\x01\x00\x00\x00\x00", 5);  // 1-bit depth, greyscale, deflate, no filter, no interlace
  append_chunk(png, "IHDR", header);
  append_chunk(png, "IDAT", compressed);
  append_chunk(png, "IEND", "");
  return png;
}

}  // namespace essc::services
