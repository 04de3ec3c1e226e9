// Decodes a QR Code from pixels, in the page, with no dependencies: the platform's own
// codes as screenshots or rescaled copies (axis-aligned, black on white, with a quiet
// zone). Perspective (a phone photo) is out of scope: the sampling grid is the affine
// map through the three finder pattern centres.
//
//   import { decodeQr } from '/qr/decode.js';
//   decodeQr(context.getImageData(0, 0, width, height))  // → text or null

import { binarize } from './binarize.js';
import { locateFinderTriples } from './finder.js';
import { correctErrors } from './reed_solomon.js';
import { decodeSegments } from './segments.js';
import { ModuleMatrix, deinterleave, formatReadings, readCodewords, versionReadings } from './symbol.js';
import { decodeFormat, decodeVersion, dimensionOf, kMaxVersion, kMinVersion } from './version.js';

// A finder pattern centre sits 3.5 modules from the symbol's edge.
const kFinderCentre = 3.5;

/** Samples a dim×dim module matrix through the affine map fixed by the three centres. */
function sample(grid, { topLeft, topRight, bottomLeft }, dimension) {
  const span = dimension - 2 * kFinderCentre;
  const across = { x: (topRight.x - topLeft.x) / span, y: (topRight.y - topLeft.y) / span };
  const down = { x: (bottomLeft.x - topLeft.x) / span, y: (bottomLeft.y - topLeft.y) / span };
  const module = Math.hypot(across.x, across.y);
  // Vote over a small window around each module centre so a grey edge pixel from
  // rescaling cannot flip a module on its own.
  const reach = module >= 3 ? 1 : 0;
  const bits = new Uint8Array(dimension * dimension);
  for (let row = 0; row < dimension; row += 1) {
    for (let column = 0; column < dimension; column += 1) {
      const u = column + 0.5 - kFinderCentre;
      const v = row + 0.5 - kFinderCentre;
      const x = Math.floor(topLeft.x + u * across.x + v * down.x);
      const y = Math.floor(topLeft.y + u * across.y + v * down.y);
      let darkVotes = 0;
      let votes = 0;
      for (let dy = -reach; dy <= reach; dy += 1) {
        for (let dx = -reach; dx <= reach; dx += 1) {
          const px = x + dx;
          const py = y + dy;
          if (px < 0 || py < 0 || px >= grid.width || py >= grid.height) continue;
          votes += 1;
          darkVotes += grid.dark[py * grid.width + px];
        }
      }
      bits[row * dimension + column] = 2 * darkVotes > votes ? 1 : 0;
    }
  }
  return new ModuleMatrix(dimension, bits);
}

/** The version the finder spacing suggests (the symbol is 4·version + 17 modules wide). */
function estimateVersion({ topLeft, topRight, bottomLeft }) {
  const module = (topLeft.module + topRight.module + bottomLeft.module) / 3;
  const across = Math.hypot(topRight.x - topLeft.x, topRight.y - topLeft.y) / module;
  const down = Math.hypot(bottomLeft.x - topLeft.x, bottomLeft.y - topLeft.y) / module;
  const version = Math.round(((across + down) / 2 + 7 - 17) / 4);
  return Math.min(kMaxVersion, Math.max(kMinVersion, version));
}

function decodeMatrix(matrix, version) {
  const format = decodeFormat(formatReadings(matrix));
  if (!format) return null;
  const codewords = readCodewords(matrix, version, format.mask);
  const blocks = deinterleave(codewords, version, format.level);
  const data = [];
  for (const block of blocks) {
    if (!correctErrors(block.codewords, block.codewords.length - block.dataCount)) return null;
    data.push(...block.codewords.subarray(0, block.dataCount));
  }
  return decodeSegments(Uint8Array.from(data), version);
}

function decodeAt(grid, corners, version) {
  const matrix = sample(grid, corners, dimensionOf(version));
  if (version >= 7) {
    const declared = decodeVersion(versionReadings(matrix));
    if (declared === null) return null;
    if (declared !== version) return decodeMatrix(sample(grid, corners, dimensionOf(declared)), declared);
  }
  return decodeMatrix(matrix, version);
}

/**
 * The text of the QR Code in an ImageData-like {width, height, data: RGBA bytes}, or null
 * when no code can be read.
 */
export function decodeQr(image) {
  const grid = binarize(image);
  if (!grid) return null;
  for (const corners of locateFinderTriples(grid)) {
    const estimate = estimateVersion(corners);
    // The spacing estimate can be one version off for large symbols; the neighbours are cheap to try.
    for (const version of [estimate, estimate - 1, estimate + 1]) {
      if (version < kMinVersion || version > kMaxVersion) continue;
      const text = decodeAt(grid, corners, version);
      if (text !== null) return text;
    }
  }
  return null;
}
