// Reads a sampled symbol (a square matrix of modules): format and version information,
// the data mask, and the codewords in their zig-zag placement, de-interleaved into
// blocks.

import { alignmentCentres, blockLayout, dimensionOf, rawCodewordCount } from './version.js';

/** A dim×dim matrix of modules; get(column, row) is true for dark. */
export class ModuleMatrix {
  constructor(dimension, bits) {
    this.dimension = dimension;
    this.bits = bits;
  }

  get(column, row) {
    return this.bits[row * this.dimension + column] === 1;
  }
}

function readBits(matrix, positions) {
  let value = 0;
  for (const [column, row] of positions) value = (value << 1) | (matrix.get(column, row) ? 1 : 0);
  return value;
}

/** Both 15-bit copies of the format information, most significant bit first. */
export function formatReadings(matrix) {
  const d = matrix.dimension;
  const nearTopLeft = [];
  for (let column = 0; column <= 5; column += 1) nearTopLeft.push([column, 8]);
  nearTopLeft.push([7, 8], [8, 8], [8, 7]);
  for (let row = 5; row >= 0; row -= 1) nearTopLeft.push([8, row]);
  const split = [];
  for (let row = d - 1; row >= d - 7; row -= 1) split.push([8, row]);
  for (let column = d - 8; column < d; column += 1) split.push([column, 8]);
  return [readBits(matrix, nearTopLeft), readBits(matrix, split)];
}

/** Both 18-bit copies of the version information (versions 7 and up). */
export function versionReadings(matrix) {
  const d = matrix.dimension;
  const topRight = [];
  const bottomLeft = [];
  for (let major = 5; major >= 0; major -= 1) {
    for (let minor = d - 9; minor >= d - 11; minor -= 1) {
      topRight.push([minor, major]);
      bottomLeft.push([major, minor]);
    }
  }
  return [readBits(matrix, topRight), readBits(matrix, bottomLeft)];
}

/** 1 for every module that belongs to a function pattern rather than data. */
function functionModules(version) {
  const d = dimensionOf(version);
  const reserved = new Uint8Array(d * d);
  const region = (left, top, width, height) => {
    for (let row = top; row < top + height; row += 1) {
      for (let column = left; column < left + width; column += 1) reserved[row * d + column] = 1;
    }
  };
  region(0, 0, 9, 9);
  region(d - 8, 0, 8, 9);
  region(0, d - 8, 9, 8);
  const centres = alignmentCentres(version);
  const last = centres.length - 1;
  centres.forEach((row, i) => {
    centres.forEach((column, j) => {
      const overlapsFinder = (i === 0 && j === 0) || (i === 0 && j === last) || (i === last && j === 0);
      if (!overlapsFinder) region(column - 2, row - 2, 5, 5);
    });
  });
  region(6, 9, 1, d - 17);
  region(9, 6, d - 17, 1);
  if (version >= 7) {
    region(d - 11, 0, 3, 6);
    region(0, d - 11, 6, 3);
  }
  return reserved;
}

const kMasks = [
  (row, column) => (row + column) % 2 === 0,
  (row) => row % 2 === 0,
  (row, column) => column % 3 === 0,
  (row, column) => (row + column) % 3 === 0,
  (row, column) => (Math.floor(row / 2) + Math.floor(column / 3)) % 2 === 0,
  (row, column) => ((row * column) % 2) + ((row * column) % 3) === 0,
  (row, column) => (((row * column) % 2) + ((row * column) % 3)) % 2 === 0,
  (row, column) => (((row + column) % 2) + ((row * column) % 3)) % 2 === 0,
];

/** The codewords in placement order: two-column strips from the right, alternately up and down. */
export function readCodewords(matrix, version, mask) {
  const d = matrix.dimension;
  const reserved = functionModules(version);
  const isMasked = kMasks[mask];
  const codewords = new Uint8Array(rawCodewordCount(version));
  let count = 0;
  let current = 0;
  let bits = 0;
  let upward = true;
  for (let right = d - 1; right > 0; right -= 2) {
    if (right === 6) right -= 1;
    for (let step = 0; step < d; step += 1) {
      const row = upward ? d - 1 - step : step;
      for (let column = right; column >= right - 1; column -= 1) {
        if (reserved[row * d + column]) continue;
        const bit = matrix.get(column, row) !== isMasked(row, column);
        current = (current << 1) | (bit ? 1 : 0);
        bits += 1;
        if (bits === 8) {
          if (count < codewords.length) codewords[count] = current;
          count += 1;
          current = 0;
          bits = 0;
        }
      }
    }
    upward = !upward;
  }
  return codewords;
}

/** Splits interleaved codewords into blocks, each {codewords: data then EC, dataCount}. */
export function deinterleave(codewords, version, level) {
  const { ecPerBlock, blocks } = blockLayout(version, level);
  const result = blocks.map((dataCount) => ({ codewords: new Uint8Array(dataCount + ecPerBlock), dataCount }));
  const longest = Math.max(...blocks);
  let offset = 0;
  for (let i = 0; i < longest; i += 1) {
    for (const block of result) {
      if (i < block.dataCount) block.codewords[i] = codewords[offset++];
    }
  }
  for (let i = 0; i < ecPerBlock; i += 1) {
    for (const block of result) block.codewords[block.dataCount + i] = codewords[offset++];
  }
  return result;
}
