// The fixed facts of QR Code symbols (ISO/IEC 18004): sizes, alignment pattern
// positions, error-correction block structure, and the BCH-protected format and
// version information.

export const kMinVersion = 1;
export const kMaxVersion = 40;

/** Error-correction levels in the order of the tables below. */
export const kLevels = ['L', 'M', 'Q', 'H'];

// Error-correction codewords per block, per level (L, M, Q, H) and version 1..40.
const kEcCodewordsPerBlock = [
  [7, 10, 15, 20, 26, 18, 20, 24, 30, 18, 20, 24, 26, 30, 22, 24, 28, 30, 28, 28,
    28, 28, 30, 30, 26, 28, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30],
  [10, 16, 26, 18, 24, 16, 18, 22, 22, 26, 30, 22, 22, 24, 24, 28, 28, 26, 26, 26,
    26, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28],
  [13, 22, 18, 26, 18, 24, 18, 22, 20, 24, 28, 26, 24, 20, 30, 24, 28, 28, 26, 30,
    28, 30, 30, 30, 30, 28, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30],
  [17, 28, 22, 16, 22, 28, 26, 26, 24, 28, 24, 28, 22, 24, 24, 30, 28, 28, 26, 28,
    30, 24, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30],
];

// Number of error-correction blocks, per level (L, M, Q, H) and version 1..40.
const kBlockCount = [
  [1, 1, 1, 1, 1, 2, 2, 2, 2, 4, 4, 4, 4, 4, 6, 6, 6, 6, 7, 8,
    8, 9, 9, 10, 12, 12, 12, 13, 14, 15, 16, 17, 18, 19, 19, 20, 21, 22, 24, 25],
  [1, 1, 1, 2, 2, 4, 4, 4, 5, 5, 5, 8, 9, 9, 10, 10, 11, 13, 14, 16,
    17, 17, 18, 20, 21, 23, 25, 26, 28, 29, 31, 33, 35, 37, 38, 40, 43, 45, 47, 49],
  [1, 1, 2, 2, 4, 4, 6, 6, 8, 8, 8, 10, 12, 16, 12, 17, 16, 18, 21, 20,
    23, 23, 25, 27, 29, 34, 34, 35, 38, 40, 43, 45, 48, 51, 53, 56, 59, 62, 65, 68],
  [1, 1, 2, 4, 4, 4, 5, 6, 8, 8, 11, 11, 16, 16, 18, 16, 19, 21, 25, 25,
    25, 34, 30, 32, 35, 37, 40, 42, 45, 48, 51, 54, 57, 60, 63, 66, 70, 74, 77, 81],
];

const kFormatMask = 0x5412;
const kFormatGenerator = 0x537;
const kVersionGenerator = 0x1f25;
// BCH(15,5) and BCH(18,6) codes have minimum distance 7 and 8: three wrong bits still decode.
const kMaxBchErrors = 3;

export function dimensionOf(version) {
  return 17 + 4 * version;
}

/** Row/column coordinates of the alignment pattern centres (empty for version 1). */
export function alignmentCentres(version) {
  if (version === 1) return [];
  const count = Math.floor(version / 7) + 2;
  const step = version === 32 ? 26 : Math.ceil((version * 4 + 4) / (count * 2 - 2)) * 2;
  const centres = [];
  for (let position = dimensionOf(version) - 7; centres.length < count - 1; position -= step) {
    centres.unshift(position);
  }
  return [6, ...centres];
}

/** Codewords (data and error correction) a symbol of this version holds. */
export function rawCodewordCount(version) {
  let modules = (16 * version + 128) * version + 64;
  if (version >= 2) {
    const alignments = Math.floor(version / 7) + 2;
    modules -= (25 * alignments - 10) * alignments - 55;
    if (version >= 7) modules -= 36;
  }
  return Math.floor(modules / 8);
}

/**
 * The block structure: {ecPerBlock, blocks: [dataCodewordCount, …]} with the shorter
 * blocks first, as they are interleaved.
 */
export function blockLayout(version, level) {
  const levelIndex = kLevels.indexOf(level);
  const ecPerBlock = kEcCodewordsPerBlock[levelIndex][version - 1];
  const count = kBlockCount[levelIndex][version - 1];
  const raw = rawCodewordCount(version);
  const shortLength = Math.floor(raw / count);
  const longBlocks = raw % count;
  const blocks = [];
  for (let i = 0; i < count; i += 1) {
    blocks.push(shortLength - ecPerBlock + (i >= count - longBlocks ? 1 : 0));
  }
  return { ecPerBlock, blocks };
}

function bchRemainder(value, generator) {
  const generatorBits = 32 - Math.clz32(generator);
  let remainder = value;
  while (32 - Math.clz32(remainder) >= generatorBits) {
    remainder ^= generator << (32 - Math.clz32(remainder) - generatorBits);
  }
  return remainder;
}

function bitCount(value) {
  let count = 0;
  for (let v = value; v !== 0; v &= v - 1) count += 1;
  return count;
}

/** The codeword closest to any of the readings, or null when none is within reach. */
function nearestCodeword(readings, codewords) {
  let best = null;
  let bestDistance = kMaxBchErrors + 1;
  for (const [codeword, value] of codewords) {
    for (const reading of readings) {
      const distance = bitCount(reading ^ codeword);
      if (distance < bestDistance) {
        bestDistance = distance;
        best = value;
      }
    }
  }
  return best;
}

const kFormatCodewords = Array.from({ length: 32 }, (_, data) =>
  [((data << 10) | bchRemainder(data << 10, kFormatGenerator)) ^ kFormatMask, data]);

const kVersionCodewords = Array.from({ length: kMaxVersion - 6 }, (_, i) => {
  const version = i + 7;
  return [(version << 12) | bchRemainder(version << 12, kVersionGenerator), version];
});

// The two level bits of the format information encode L, M, Q, H as 01, 00, 11, 10.
const kFormatLevels = ['M', 'L', 'H', 'Q'];

/** {level, mask} from the 15-bit format readings (either copy), or null. */
export function decodeFormat(readings) {
  const data = nearestCodeword(readings, kFormatCodewords);
  if (data === null) return null;
  return { level: kFormatLevels[data >> 3], mask: data & 7 };
}

/** The version from the 18-bit version readings (either block), or null. */
export function decodeVersion(readings) {
  return nearestCodeword(readings, kVersionCodewords);
}
