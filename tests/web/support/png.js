// Reads a PNG into {width, height, data: RGBA bytes} with node's zlib: every colour type
// and bit depth of non-interlaced images, which covers what qrencode and the essc server
// write.

import { inflateSync } from 'node:zlib';

const kSignature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const kChannels = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 };

function paeth(a, b, c) {
  const p = a + b - c;
  const pa = Math.abs(p - a);
  const pb = Math.abs(p - b);
  const pc = Math.abs(p - c);
  if (pa <= pb && pa <= pc) return a;
  return pb <= pc ? b : c;
}

function unfilter(raw, height, stride, bytesPerPixel) {
  const out = Buffer.alloc(height * stride);
  for (let y = 0; y < height; y += 1) {
    const filter = raw[y * (stride + 1)];
    const line = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
    for (let x = 0; x < stride; x += 1) {
      const left = x >= bytesPerPixel ? out[y * stride + x - bytesPerPixel] : 0;
      const up = y > 0 ? out[(y - 1) * stride + x] : 0;
      const upLeft = y > 0 && x >= bytesPerPixel ? out[(y - 1) * stride + x - bytesPerPixel] : 0;
      const predictor = [0, left, up, (left + up) >> 1, paeth(left, up, upLeft)][filter];
      if (predictor === undefined) throw new Error(`PNG filter ${filter} unknown`);
      out[y * stride + x] = (line[x] + predictor) & 0xff;
    }
  }
  return out;
}

export function readPng(bytes) {
  if (!bytes.subarray(0, 8).equals(kSignature)) throw new Error('not a PNG');
  let offset = 8;
  let header = null;
  let palette = null;
  let transparency = null;
  const compressed = [];
  while (offset < bytes.length) {
    const length = bytes.readUInt32BE(offset);
    const type = bytes.toString('latin1', offset + 4, offset + 8);
    const body = bytes.subarray(offset + 8, offset + 8 + length);
    offset += 12 + length;
    if (type === 'IHDR') {
      header = {
        width: body.readUInt32BE(0), height: body.readUInt32BE(4),
        depth: body[8], colourType: body[9], interlace: body[12],
      };
    } else if (type === 'PLTE') palette = body;
    else if (type === 'tRNS') transparency = body;
    else if (type === 'IDAT') compressed.push(body);
    else if (type === 'IEND') break;
  }
  const { width, height, depth, colourType, interlace } = header;
  if (interlace !== 0) throw new Error('interlaced PNG not supported');
  const channels = kChannels[colourType];
  const bitsPerPixel = channels * depth;
  const stride = Math.ceil((width * bitsPerPixel) / 8);
  const pixels = unfilter(inflateSync(Buffer.concat(compressed)), height, stride, Math.max(1, bitsPerPixel >> 3));
  const sampleAt = (y, index) => {
    if (depth === 8) return pixels[y * stride + index];
    if (depth === 16) return pixels[y * stride + 2 * index];
    const bit = index * depth;
    const byte = pixels[y * stride + (bit >> 3)];
    return (byte >> (8 - depth - (bit & 7))) & ((1 << depth) - 1);
  };
  const scale = depth < 8 && colourType !== 3 ? 255 / ((1 << depth) - 1) : 1;
  const data = new Uint8ClampedArray(width * height * 4);
  for (let y = 0; y < height; y += 1) {
    for (let x = 0; x < width; x += 1) {
      const s = (i) => sampleAt(y, x * channels + i);
      let rgba;
      if (colourType === 3) {
        const index = s(0);
        rgba = [palette[3 * index], palette[3 * index + 1], palette[3 * index + 2],
          transparency && index < transparency.length ? transparency[index] : 255];
      } else if (colourType === 0 || colourType === 4) {
        const grey = Math.round(s(0) * scale);
        rgba = [grey, grey, grey, colourType === 4 ? s(1) : 255];
      } else {
        rgba = [s(0), s(1), s(2), colourType === 6 ? s(3) : 255];
      }
      data.set(rgba, (y * width + x) * 4);
    }
  }
  return { width, height, data };
}
