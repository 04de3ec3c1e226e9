// A QR code encoder (ISO/IEC 18004:2015) for the e-card's codes (R-U2), built for speed:
// table-driven Reed–Solomon over GF(256) (log and antilog tables, one generator a block
// length), each version's fixed patterns and data-module order computed once, modules
// as 64-bit words a row and a column, and the mask chosen by the standard's four penalty
// rules scanned over those words (runs, 2×2 blocks, finder-like patterns, balance)
// rather than by drawing and scoring eight symbols module by module.
//
// It makes the same symbol as Project Nayuki's qrcodegen for the same text, level and
// mask, including the mask it chooses (qr_encoder_test.cpp checks this module for
// module), in a fraction of the time (docs/performance.md "QR images").
//
// Thread safety: encode_qr may run on any thread; a version's tables are built once,
// under std::call_once, and only read afterwards.
// Invariants: a QrSymbol's size is 4 × version + 17; its mask is 0…7; modules outside
// the symbol are never set.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

namespace essc::services {

enum class QrEcc { kLow, kMedium, kQuartile, kHigh };

// Ask encode_qr to choose the mask by the penalty rules.
inline constexpr int kQrMaskAuto = -1;

class QrSymbol {
 public:
  // 177 modules (version 40) fit three words.
  static constexpr int kRowWords = 3;

  QrSymbol(int version, int mask, std::vector<std::uint64_t> rows)
      : version_(version), mask_(mask), rows_(std::move(rows)) {}

  int version() const { return version_; }
  int mask() const { return mask_; }
  int size() const { return version_ * 4 + 17; }
  // Module (x, y), x to the right and y down from the top-left corner; true is dark.
  // REQUIRES: 0 <= x, y < size().
  bool dark(int x, int y) const {
    return (rows_[static_cast<std::size_t>(y) * kRowWords + static_cast<std::size_t>(x) / 64] >>
            (x % 64)) &
           1;
  }

 private:
  int version_;
  int mask_;
  std::vector<std::uint64_t> rows_;  // kRowWords a row; bit x % 64 of word x / 64
};

// The smallest symbol of level `ecc` that holds `text` in one segment of the densest
// mode it allows: numeric if it is all digits, alphanumeric if it is all of
// "0-9A-Z $%*+-./:", bytes otherwise. `mask` 0…7 forces a mask; kQrMaskAuto chooses the
// one of least penalty (the lowest on a tie). std::nullopt if version 40 cannot hold it.
// REQUIRES: mask is kQrMaskAuto or 0…7.
std::optional<QrSymbol> encode_qr(std::string_view text, QrEcc ecc = QrEcc::kMedium,
                                  int mask = kQrMaskAuto);

}  // namespace essc::services
