#include "services/qr_encoder.hpp"

#include <array>
#include <bit>
#include <cstdlib>
#include <cstring>
#include <mutex>

#include "common/assert.hpp"

namespace essc::services {
namespace {

constexpr int kVersionMax = 40;
constexpr int kWords = QrSymbol::kRowWords;
// One row (bit x is module x) or one column (bit y is module y) of a symbol.
using Line = std::array<std::uint64_t, kWords>;

// ISO/IEC 18004 Table 9: error-correction codewords a block and blocks, by level (L, M,
// Q, H) and version (index 0 unused).
constexpr std::int16_t kEccCodewordsPerBlock[4][kVersionMax + 1] = {
    {-1, 7,  10, 15, 20, 26, 18, 20, 24, 30, 18, 20, 24, 26, 30, 22, 24, 28, 30, 28, 28,
     28, 28, 30, 30, 26, 28, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30},
    {-1, 10, 16, 26, 18, 24, 16, 18, 22, 22, 26, 30, 22, 22, 24, 24, 28, 28, 26, 26, 26,
     26, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28},
    {-1, 13, 22, 18, 26, 18, 24, 18, 22, 20, 24, 28, 26, 24, 20, 30, 24, 28, 28, 26, 30,
     28, 30, 30, 30, 30, 28, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30},
    {-1, 17, 28, 22, 16, 22, 28, 26, 26, 24, 28, 24, 28, 22, 24, 24, 30, 28, 28, 26, 28,
     30, 24, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30},
};
constexpr std::int16_t kErrorCorrectionBlocks[4][kVersionMax + 1] = {
    {-1, 1, 1, 1,  1,  1,  2,  2,  2,  2,  4,  4,  4,  4,  4,  6,  6,  6,  6,  7, 8,
     8,  9, 9, 10, 12, 12, 12, 13, 14, 15, 16, 17, 18, 19, 19, 20, 21, 22, 24, 25},
    {-1, 1,  1,  1,  2,  2,  4,  4,  4,  5,  5,  5,  8,  9,  9,  10, 10, 11, 13, 14, 16,
     17, 17, 18, 20, 21, 23, 25, 26, 28, 29, 31, 33, 35, 37, 38, 40, 43, 45, 47, 49},
    {-1, 1,  1,  2,  2,  4,  4,  6,  6,  8,  8,  8,  10, 12, 16, 12, 17, 16, 18, 21, 20,
     23, 23, 25, 27, 29, 34, 34, 35, 38, 40, 43, 45, 48, 51, 53, 56, 59, 62, 65, 68},
    {-1, 1,  1,  2,  4,  4,  4,  5,  6,  8,  8,  11, 11, 16, 16, 18, 16, 19, 21, 25, 25,
     25, 34, 30, 32, 35, 37, 40, 42, 45, 48, 51, 54, 57, 60, 63, 66, 70, 74, 77, 81},
};
// The level's two bits in the format information (Table 12): L 01, M 00, Q 11, H 10.
constexpr int kEccFormatBits[4] = {1, 0, 3, 2};
// The penalty weights of §7.8.3 (Table 11).
constexpr long kPenaltyN1 = 3;
constexpr long kPenaltyN2 = 3;
constexpr long kPenaltyN3 = 40;
constexpr long kPenaltyN4 = 10;
// Longest Reed–Solomon block: 30 error-correction codewords.
constexpr int kEccDegreeMax = 30;
// Version 40 has 3,706 codewords.
constexpr int kCodewordsMax = 3706;

int level(QrEcc ecc) { return static_cast<int>(ecc); }

// Modules left for data and error correction once the function patterns are drawn.
int raw_data_modules(int version) {
  int result = (16 * version + 128) * version + 64;
  if (version >= 2) {
    const int alignments = version / 7 + 2;
    result -= (25 * alignments - 10) * alignments - 55;
    if (version >= 7) result -= 36;
  }
  return result;
}

int data_codewords(int version, QrEcc ecc) {
  return raw_data_modules(version) / 8 -
         kEccCodewordsPerBlock[level(ecc)][version] * kErrorCorrectionBlocks[level(ecc)][version];
}

// GF(256) with the QR polynomial x⁸ + x⁴ + x³ + x² + 1 and generator 2: `exp` twice
// over so that a sum of two logarithms needs no reduction.
struct Galois {
  std::array<std::uint8_t, 512> exp{};
  std::array<std::uint8_t, 256> log{};
  constexpr Galois() {
    int x = 1;
    for (int i = 0; i < 255; ++i) {
      exp[static_cast<std::size_t>(i)] = static_cast<std::uint8_t>(x);
      log[static_cast<std::size_t>(x)] = static_cast<std::uint8_t>(i);
      x <<= 1;
      if (x & 0x100) x ^= 0x11d;
    }
    for (std::size_t i = 255; i < exp.size(); ++i) exp[i] = exp[i - 255];
  }
  constexpr std::uint8_t multiply(std::uint8_t a, std::uint8_t b) const {
    return a == 0 || b == 0 ? 0 : exp[static_cast<std::size_t>(log[a]) + log[b]];
  }
};
constexpr Galois kGf;

// The generator polynomial of each degree, (x − 2⁰)(x − 2¹)…(x − 2^(d−1)), as the
// logarithms of its coefficients after the leading 1, highest power first. None is 0.
struct Generators {
  std::array<std::array<std::uint8_t, kEccDegreeMax>, kEccDegreeMax + 1> log{};
  constexpr Generators() {
    for (int degree = 1; degree <= kEccDegreeMax; ++degree) {
      std::array<std::uint8_t, kEccDegreeMax> coefficients{};
      coefficients[static_cast<std::size_t>(degree - 1)] = 1;
      std::uint8_t root = 1;
      for (int i = 0; i < degree; ++i) {
        for (int j = 0; j < degree; ++j) {
          auto& c = coefficients[static_cast<std::size_t>(j)];
          c = kGf.multiply(c, root);
          if (j + 1 < degree) c ^= coefficients[static_cast<std::size_t>(j) + 1];
        }
        root = kGf.multiply(root, 2);
      }
      for (int j = 0; j < degree; ++j)
        log[static_cast<std::size_t>(degree)][static_cast<std::size_t>(j)] =
            kGf.log[coefficients[static_cast<std::size_t>(j)]];
    }
  }
};
constexpr Generators kGenerators;

// The `degree` error-correction codewords of `data` (the remainder of its division by
// the generator), by the log tables: one table look-up a coefficient, the division done
// in place over a copy of the data followed by `degree` zeros.
void reed_solomon(const std::uint8_t* data, int length, int degree, std::uint8_t* out) {
  const auto& generator = kGenerators.log[static_cast<std::size_t>(degree)];
  std::array<std::uint8_t, kCodewordsMax + kEccDegreeMax> dividend;
  std::memcpy(dividend.data(), data, static_cast<std::size_t>(length));
  std::memset(dividend.data() + length, 0, static_cast<std::size_t>(degree));
  for (int i = 0; i < length; ++i) {
    const std::uint8_t factor = dividend[static_cast<std::size_t>(i)];
    if (factor == 0) continue;
    const std::size_t factor_log = kGf.log[factor];
    std::uint8_t* rest = dividend.data() + i + 1;
    for (int j = 0; j < degree; ++j)
      rest[j] ^= kGf.exp[factor_log + generator[static_cast<std::size_t>(j)]];
  }
  std::memcpy(out, dividend.data() + length, static_cast<std::size_t>(degree));
}

// Set bits of a word, inline: std::popcount is a library call unless the build targets a
// CPU with a popcount instruction, and the penalty counts a few thousand words a symbol.
constexpr int ones(std::uint64_t x) {
  x -= (x >> 1) & 0x5555555555555555;
  x = (x & 0x3333333333333333) + ((x >> 2) & 0x3333333333333333);
  x = (x + (x >> 4)) & 0x0f0f0f0f0f0f0f0f;
  return static_cast<int>((x * 0x0101010101010101) >> 56);
}
static_assert(ones(0) == 0 && ones(~std::uint64_t{0}) == 64 && ones(0x8000000000000001) == 2);

void set_bit(Line& line, int at) {
  line[static_cast<std::size_t>(at / 64)] |= std::uint64_t{1} << (at % 64);
}

// A version's fixed parts, built once: which modules are function patterns, the dark
// ones among them (without the format information, which depends on the mask), the
// order data modules are filled in, and each mask's pattern over the data modules only.
struct VersionTables {
  int size = 0;
  std::vector<Line> function_rows;
  std::vector<Line> base_rows, base_cols;
  std::vector<std::array<std::uint8_t, 2>> data_order;  // {x, y} of each data module, in order
  std::array<std::vector<Line>, 8> mask_rows, mask_cols;
  // Where each of the format information's 15 bits goes, twice: {x, y}.
  std::array<std::array<std::uint8_t, 2>, 15> format_first{}, format_second{};
};

bool mask_inverts(int mask, int x, int y) {
  switch (mask) {
    case 0:
      return (x + y) % 2 == 0;
    case 1:
      return y % 2 == 0;
    case 2:
      return x % 3 == 0;
    case 3:
      return (x + y) % 3 == 0;
    case 4:
      return (x / 3 + y / 2) % 2 == 0;
    case 5:
      return x * y % 2 + x * y % 3 == 0;
    case 6:
      return (x * y % 2 + x * y % 3) % 2 == 0;
    default:
      return ((x + y) % 2 + x * y % 3) % 2 == 0;
  }
}

std::vector<int> alignment_positions(int version) {
  if (version == 1) return {};
  const int size = version * 4 + 17;
  const int count = version / 7 + 2;
  const int step = version == 32 ? 26 : (version * 4 + count * 2 + 1) / (count * 2 - 2) * 2;
  std::vector<int> positions(static_cast<std::size_t>(count));
  positions[0] = 6;
  for (int i = count - 1, at = size - 7; i >= 1; --i, at -= step)
    positions[static_cast<std::size_t>(i)] = at;
  return positions;
}

VersionTables build_tables(int version) {
  VersionTables t;
  const int size = version * 4 + 17;
  t.size = size;
  const auto n = static_cast<std::size_t>(size);
  std::vector<std::uint8_t> dark(n * n, 0), function(n * n, 0);
  const auto set = [&](int x, int y, bool is_dark) {
    const auto at = static_cast<std::size_t>(y) * n + static_cast<std::size_t>(x);
    dark[at] = is_dark;
    function[at] = 1;
  };
  for (int i = 0; i < size; ++i) {  // timing patterns
    set(6, i, i % 2 == 0);
    set(i, 6, i % 2 == 0);
  }
  for (const auto [cx, cy] : {std::array{3, 3}, std::array{size - 4, 3}, std::array{3, size - 4}}) {
    for (int dy = -4; dy <= 4; ++dy) {  // finder patterns with their separators
      for (int dx = -4; dx <= 4; ++dx) {
        const int distance = std::max(std::abs(dx), std::abs(dy));
        const int x = cx + dx, y = cy + dy;
        if (x >= 0 && x < size && y >= 0 && y < size) set(x, y, distance != 2 && distance != 4);
      }
    }
  }
  const auto alignments = alignment_positions(version);
  const auto last = static_cast<int>(alignments.size()) - 1;
  for (int i = 0; i <= last; ++i) {
    for (int j = 0; j <= last; ++j) {
      if ((i == 0 && j == 0) || (i == 0 && j == last) || (i == last && j == 0)) continue;
      for (int dy = -2; dy <= 2; ++dy) {
        for (int dx = -2; dx <= 2; ++dx)
          set(alignments[static_cast<std::size_t>(i)] + dx,
              alignments[static_cast<std::size_t>(j)] + dy,
              std::max(std::abs(dx), std::abs(dy)) != 1);
      }
    }
  }
  for (int i = 0; i < 15; ++i) {  // the format information's places, light for now
    const auto place = [](int x, int y) {
      return std::array{static_cast<std::uint8_t>(x), static_cast<std::uint8_t>(y)};
    };
    t.format_first[static_cast<std::size_t>(i)] = i < 6    ? place(8, i)
                                                  : i == 6 ? place(8, 7)
                                                  : i == 7 ? place(8, 8)
                                                  : i == 8 ? place(7, 8)
                                                           : place(14 - i, 8);
    t.format_second[static_cast<std::size_t>(i)] =
        i < 8 ? place(size - 1 - i, 8) : place(8, size - 15 + i);
    set(t.format_first[static_cast<std::size_t>(i)][0],
        t.format_first[static_cast<std::size_t>(i)][1], false);
    set(t.format_second[static_cast<std::size_t>(i)][0],
        t.format_second[static_cast<std::size_t>(i)][1], false);
  }
  set(8, size - 8, true);  // the dark module
  if (version >= 7) {      // version information, twice
    int remainder = version;
    for (int i = 0; i < 12; ++i) remainder = (remainder << 1) ^ ((remainder >> 11) * 0x1f25);
    const long bits = static_cast<long>(version) << 12 | remainder;
    for (int i = 0; i < 18; ++i) {
      const bool bit = (bits >> i) & 1;
      const int a = size - 11 + i % 3, b = i / 3;
      set(a, b, bit);
      set(b, a, bit);
    }
  }
  // Data modules in the order codewords fill them: two-module columns from the right,
  // alternately upwards and downwards, skipping the vertical timing pattern.
  for (int right = size - 1; right >= 1; right -= 2) {
    if (right == 6) right = 5;
    const bool upward = ((right + 1) & 2) == 0;
    for (int vertical = 0; vertical < size; ++vertical) {
      const int y = upward ? size - 1 - vertical : vertical;
      for (int x = right; x >= right - 1; --x) {
        const auto at = static_cast<std::size_t>(y) * n + static_cast<std::size_t>(x);
        if (!function[at])
          t.data_order.push_back({static_cast<std::uint8_t>(x), static_cast<std::uint8_t>(y)});
      }
    }
  }
  ESSC_INVARIANT(static_cast<int>(t.data_order.size()) == raw_data_modules(version));
  t.function_rows.assign(n, Line{});
  t.base_rows.assign(n, Line{});
  t.base_cols.assign(n, Line{});
  for (auto& m : t.mask_rows) m.assign(n, Line{});
  for (auto& m : t.mask_cols) m.assign(n, Line{});
  for (int y = 0; y < size; ++y) {
    for (int x = 0; x < size; ++x) {
      const auto at = static_cast<std::size_t>(y) * n + static_cast<std::size_t>(x);
      if (function[at]) {
        set_bit(t.function_rows[static_cast<std::size_t>(y)], x);
        if (dark[at]) {
          set_bit(t.base_rows[static_cast<std::size_t>(y)], x);
          set_bit(t.base_cols[static_cast<std::size_t>(x)], y);
        }
        continue;
      }
      for (int mask = 0; mask < 8; ++mask) {
        if (!mask_inverts(mask, x, y)) continue;
        set_bit(t.mask_rows[static_cast<std::size_t>(mask)][static_cast<std::size_t>(y)], x);
        set_bit(t.mask_cols[static_cast<std::size_t>(mask)][static_cast<std::size_t>(x)], y);
      }
    }
  }
  return t;
}

const VersionTables& tables(int version) {
  static std::array<std::once_flag, kVersionMax + 1> once;
  static std::array<VersionTables, kVersionMax + 1> all;
  const auto v = static_cast<std::size_t>(version);
  std::call_once(once[v], [&] { all[v] = build_tables(version); });
  return all[v];
}

// Bits appended most significant first into whole bytes.
class BitWriter {
 public:
  explicit BitWriter(std::uint8_t* out) : out_(out) {}
  void append(std::uint32_t value, int count) {
    for (int i = count - 1; i >= 0; --i) {
      if ((value >> i) & 1) out_[bits_ >> 3] |= static_cast<std::uint8_t>(0x80 >> (bits_ & 7));
      ++bits_;
    }
  }
  int bits() const { return bits_; }

 private:
  std::uint8_t* out_;
  int bits_ = 0;
};

enum class Mode { kNumeric, kAlphanumeric, kByte };

constexpr std::string_view kAlphanumeric = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:";

int alphanumeric_value(char c) {
  const auto at = kAlphanumeric.find(c);
  return at == std::string_view::npos ? -1 : static_cast<int>(at);
}

Mode mode_of(std::string_view text) {
  bool numeric = true, alphanumeric = true;
  for (char c : text) {
    numeric = numeric && c >= '0' && c <= '9';
    alphanumeric = alphanumeric && alphanumeric_value(c) >= 0;
  }
  return numeric ? Mode::kNumeric : alphanumeric ? Mode::kAlphanumeric : Mode::kByte;
}

int count_bits(Mode mode, int version) {
  const int band = version <= 9 ? 0 : version <= 26 ? 1 : 2;
  constexpr int kBits[3][3] = {{10, 12, 14}, {9, 11, 13}, {8, 16, 16}};
  return kBits[static_cast<int>(mode)][band];
}

int payload_bits(Mode mode, std::size_t length) {
  const auto n = static_cast<int>(length);
  switch (mode) {
    case Mode::kNumeric:
      return n / 3 * 10 + (n % 3 == 2 ? 7 : n % 3 == 1 ? 4 : 0);
    case Mode::kAlphanumeric:
      return n / 2 * 11 + n % 2 * 6;
    default:
      return n * 8;
  }
}

void append_payload(BitWriter& bits, Mode mode, std::string_view text) {
  if (mode == Mode::kByte) {
    for (char c : text) bits.append(static_cast<std::uint8_t>(c), 8);
  } else if (mode == Mode::kAlphanumeric) {
    std::size_t i = 0;
    for (; i + 1 < text.size(); i += 2)
      bits.append(static_cast<std::uint32_t>(alphanumeric_value(text[i]) * 45 +
                                             alphanumeric_value(text[i + 1])),
                  11);
    if (i < text.size()) bits.append(static_cast<std::uint32_t>(alphanumeric_value(text[i])), 6);
  } else {
    for (std::size_t i = 0; i < text.size(); i += 3) {
      const std::size_t digits = std::min<std::size_t>(3, text.size() - i);
      std::uint32_t value = 0;
      for (std::size_t d = 0; d < digits; ++d)
        value = value * 10 + static_cast<std::uint32_t>(text[i + d] - '0');
      bits.append(value, static_cast<int>(digits * 3 + 1));
    }
  }
}

// `line` moved `count` modules towards 0: bit x of the result is module x + count.
// REQUIRES: 0 < count < 64.
Line shifted_down(const Line& line, int count) {
  Line out{};
  for (std::size_t w = 0; w < kWords; ++w) {
    out[w] = line[w] >> count;
    if (w + 1 < kWords) out[w] |= line[w + 1] << (64 - count);
  }
  return out;
}

// N1 of a line, all positions at once: every window of five equal modules counts one, and
// each run of five or more two more, so a run of L ≥ 5 counts L − 2 = 3 + (L − 5).
long runs_penalty(const Line& line, const Line& inside) {
  Line equal{};  // module x equals module x + 1
  const Line next = shifted_down(line, 1);
  for (std::size_t w = 0; w < kWords; ++w) equal[w] = ~(line[w] ^ next[w]) & inside[w];
  const Line e1 = shifted_down(equal, 1), e2 = shifted_down(equal, 2), e3 = shifted_down(equal, 3);
  long windows = 0, runs = 0;
  std::uint64_t carry = 0;  // the window bit of the previous word's top position
  for (std::size_t w = 0; w < kWords; ++w) {
    const std::uint64_t five = equal[w] & e1[w] & e2[w] & e3[w];
    windows += ones(five);
    runs += ones(five & ~((five << 1) | carry));
    carry = five >> 63;
  }
  return windows + runs * (kPenaltyN1 - 1);
}

// N3 (finder-like patterns) of one row or column: its runs, from the line's colour changes
// (module x unlike module x − 1) found a word at a time, then each light run that ends a
// dark-light-dark-light-dark run of 1:1:3:1:1 with four light modules before or after it.
// Counted as qrcodegen counts it: the symbol's width of light border beyond both ends of
// a line, and a pattern with four light modules on both sides counted twice.
long finder_penalty(const Line& line, int size) {
  std::array<int, kVersionMax * 4 + 17 + 2> runs;  // light first (maybe empty), light last
  int count = 0;
  int start = 0;
  std::uint64_t previous = 0;  // module −1 is light
  for (std::size_t w = 0; w < kWords; ++w) {
    std::uint64_t changes = line[w] ^ ((line[w] << 1) | previous);
    previous = line[w] >> 63;
    if (static_cast<int>(w * 64) + 64 > size)  // not the change past the last module
      changes &= (std::uint64_t{1} << std::max(0, size - static_cast<int>(w * 64))) - 1;
    for (; changes != 0; changes &= changes - 1) {
      const int end = static_cast<int>(w * 64) + std::countr_zero(changes);
      runs[static_cast<std::size_t>(count++)] = end - start;
      start = end;
    }
  }
  runs[static_cast<std::size_t>(count++)] = size - start;
  if (count % 2 == 0) runs[static_cast<std::size_t>(count++)] = 0;  // it ended dark
  runs[0] += size;
  runs[static_cast<std::size_t>(count - 1)] += size;
  long found = 0;
  for (std::size_t j = 6; j < static_cast<std::size_t>(count); j += 2) {
    const int n = runs[j - 1];
    if (runs[j - 3] != n * 3 || runs[j - 2] != n || runs[j - 4] != n || runs[j - 5] != n) continue;
    found += (runs[j] >= n * 4 && runs[j - 6] >= n ? 1 : 0) +
             (runs[j - 6] >= n * 4 && runs[j] >= n ? 1 : 0);
  }
  return found * kPenaltyN3;
}

// N2: 2×2 blocks of one colour, 64 positions a step: where a row and the next agree
// (vertically), at x and at x + 1, and the row agrees with itself from x to x + 1.
long block_penalty(const std::vector<Line>& rows, const Line& inside, int size) {
  long blocks = 0;
  for (std::size_t y = 0; y + 1 < static_cast<std::size_t>(size); ++y) {
    const Line& a = rows[y];
    const Line& b = rows[y + 1];
    for (std::size_t w = 0; w < kWords; ++w) {
      const std::uint64_t next_a = w + 1 < kWords ? a[w + 1] : 0;
      const std::uint64_t next_b = w + 1 < kWords ? b[w + 1] : 0;
      const std::uint64_t vertical = ~(a[w] ^ b[w]);
      const std::uint64_t vertical_next = (vertical >> 1) | (~(next_a ^ next_b) << 63);
      const std::uint64_t horizontal = ~(a[w] ^ ((a[w] >> 1) | (next_a << 63)));
      blocks += ones(vertical & vertical_next & horizontal & inside[w]);
    }
  }
  return blocks * kPenaltyN2;
}

// N4: ten points for each full 5 % the dark share is away from 50 %.
long balance_penalty(const std::vector<Line>& rows, int size) {
  long dark = 0;
  for (const auto& row : rows) {
    for (auto word : row) dark += ones(word);
  }
  const long total = static_cast<long>(size) * size;
  const long k = (std::labs(dark * 20 - total * 10) + total - 1) / total - 1;
  return k * kPenaltyN4;
}

long penalty(const std::vector<Line>& rows, const std::vector<Line>& cols, int size) {
  Line inside{};  // x from 0 to size − 2: a module with one after it
  for (int x = 0; x < size - 1; ++x) set_bit(inside, x);
  long result = block_penalty(rows, inside, size) + balance_penalty(rows, size);
  for (std::size_t i = 0; i < static_cast<std::size_t>(size); ++i) {
    result += runs_penalty(rows[i], inside) + finder_penalty(rows[i], size);
    result += runs_penalty(cols[i], inside) + finder_penalty(cols[i], size);
  }
  return result;
}

int format_information(QrEcc ecc, int mask) {
  const int data = kEccFormatBits[level(ecc)] << 3 | mask;
  int remainder = data;
  for (int i = 0; i < 10; ++i) remainder = (remainder << 1) ^ ((remainder >> 9) * 0x537);
  return (data << 10 | remainder) ^ 0x5412;
}

// The symbol's rows and columns under `mask`: the unmasked modules with the mask's
// pattern over the data modules and the format information drawn.
void apply_mask(const VersionTables& t, QrEcc ecc, int mask, const std::vector<Line>& rows,
                const std::vector<Line>& cols, std::vector<Line>& masked_rows,
                std::vector<Line>& masked_cols) {
  const auto m = static_cast<std::size_t>(mask);
  for (std::size_t i = 0; i < static_cast<std::size_t>(t.size); ++i) {
    for (std::size_t w = 0; w < kWords; ++w) {
      masked_rows[i][w] = rows[i][w] ^ t.mask_rows[m][i][w];
      masked_cols[i][w] = cols[i][w] ^ t.mask_cols[m][i][w];
    }
  }
  const int format = format_information(ecc, mask);
  for (std::size_t i = 0; i < 15; ++i) {
    if (!((format >> i) & 1)) continue;
    for (const auto& place : {t.format_first[i], t.format_second[i]}) {
      set_bit(masked_rows[place[1]], place[0]);
      set_bit(masked_cols[place[0]], place[1]);
    }
  }
}

}  // namespace

std::optional<QrSymbol> encode_qr(std::string_view text, QrEcc ecc, int mask) {
  ESSC_INVARIANT(mask >= kQrMaskAuto && mask <= 7);
  const Mode mode = mode_of(text);
  int version = 1;
  for (;; ++version) {
    if (version > kVersionMax) return std::nullopt;
    const int length_bits = count_bits(mode, version);
    if (text.size() < (std::size_t{1} << length_bits) &&
        4 + length_bits + payload_bits(mode, text.size()) <= data_codewords(version, ecc) * 8)
      break;
  }
  const auto& t = tables(version);
  const int size = t.size;

  // The data codewords: mode, length, payload, a terminator of up to four zero bits, zero
  // bits to a whole byte, then the pad bytes 0xEC and 0x11 in turn.
  std::array<std::uint8_t, kCodewordsMax> data{};
  const int capacity_bits = data_codewords(version, ecc) * 8;
  BitWriter bits(data.data());
  bits.append(mode == Mode::kNumeric ? 1 : mode == Mode::kAlphanumeric ? 2 : 4, 4);
  bits.append(static_cast<std::uint32_t>(text.size()), count_bits(mode, version));
  append_payload(bits, mode, text);
  const int used_bytes = (std::min(capacity_bits, bits.bits() + 4) + 7) / 8;
  for (int i = used_bytes, pad = 0xec; i < capacity_bits / 8; ++i, pad ^= 0xec ^ 0x11)
    data[static_cast<std::size_t>(i)] = static_cast<std::uint8_t>(pad);

  // Split into blocks (the last ones a codeword longer), each with its error correction,
  // and interleave: the blocks' first data codewords, their second, …, then the same for
  // the error-correction codewords.
  const int blocks = kErrorCorrectionBlocks[level(ecc)][version];
  const int degree = kEccCodewordsPerBlock[level(ecc)][version];
  const int raw_codewords = raw_data_modules(version) / 8;
  const int short_blocks = blocks - raw_codewords % blocks;
  const int short_data = raw_codewords / blocks - degree;
  std::array<std::uint8_t, kCodewordsMax> codewords{};
  std::array<std::uint8_t, kCodewordsMax> ecc_codewords{};
  int block_start = 0;
  for (int b = 0; b < blocks; ++b) {
    const int length = short_data + (b < short_blocks ? 0 : 1);
    reed_solomon(
        data.data() + block_start, length, degree,
        ecc_codewords.data() + static_cast<std::size_t>(b) * static_cast<std::size_t>(degree));
    block_start += length;
  }
  std::size_t out = 0;
  for (int i = 0; i <= short_data; ++i) {
    for (int b = 0, start = 0; b < blocks; start += short_data + (b < short_blocks ? 0 : 1), ++b) {
      if (i < short_data || b >= short_blocks)
        codewords[out++] = data[static_cast<std::size_t>(start) + static_cast<std::size_t>(i)];
    }
  }
  for (int i = 0; i < degree; ++i) {
    for (int b = 0; b < blocks; ++b)
      codewords[out++] =
          ecc_codewords[static_cast<std::size_t>(b) * static_cast<std::size_t>(degree) +
                        static_cast<std::size_t>(i)];
  }
  ESSC_INVARIANT(static_cast<int>(out) == raw_codewords);

  // Place the codewords' dark bits; the remainder bits stay light.
  std::vector<Line> rows = t.base_rows;
  std::vector<Line> cols = t.base_cols;
  for (std::size_t i = 0; i < out; ++i) {
    for (std::uint32_t byte = codewords[i]; byte != 0; byte &= byte - 1) {
      const int bit = 7 - std::countr_zero(byte);  // the first module takes the top bit
      const auto [x, y] = t.data_order[i * 8 + static_cast<std::size_t>(bit)];
      set_bit(rows[y], x);
      set_bit(cols[x], y);
    }
  }

  std::vector<Line> masked_rows(rows.size()), masked_cols(cols.size());
  if (mask == kQrMaskAuto) {
    std::vector<Line> best_rows;
    long best = 0;
    for (int m = 0; m < 8; ++m) {
      apply_mask(t, ecc, m, rows, cols, masked_rows, masked_cols);
      const long score = penalty(masked_rows, masked_cols, size);
      if (m == 0 || score < best) {
        best = score;
        mask = m;
        best_rows.swap(masked_rows);
        masked_rows.resize(rows.size());
      }
    }
    masked_rows.swap(best_rows);
  } else {
    apply_mask(t, ecc, mask, rows, cols, masked_rows, masked_cols);
  }
  std::vector<std::uint64_t> words;
  words.reserve(masked_rows.size() * kWords);
  for (const auto& row : masked_rows) words.insert(words.end(), row.begin(), row.end());
  return QrSymbol(version, mask, std::move(words));
}

}  // namespace essc::services
