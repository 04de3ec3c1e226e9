// QR images for the decoder tests: rendered by libqrencode through the qrencode command
// (the library the essc server renders its codes with), then rescaled or damaged the
// way screenshots and copies are.

import { spawnSync } from 'node:child_process';
import { readPng } from './png.js';

/**
 * A PNG rendered by qrencode, read back as RGBA, with the geometry needed to find a
 * module: {image, version, margin, scale, dimension}.
 */
export function renderQr(input, { level = 'M', version = 0, scale = 4, margin = 4, eightBit = true, kanji = false } = {}) {
  const args = ['-o', '-', '-t', 'PNG', '-l', level, '-s', String(scale), '-m', String(margin)];
  if (version) args.push('-v', String(version));
  if (eightBit) args.push('-8');
  if (kanji) args.push('-k');
  const result = spawnSync('qrencode', args, { input });
  if (result.error) throw result.error;
  if (result.status !== 0) throw new Error(`qrencode failed: ${result.stderr}`);
  const image = readPng(result.stdout);
  const dimension = image.width / scale - 2 * margin;
  return { image, version: (dimension - 17) / 4, margin, scale, dimension };
}

function copy(image) {
  return { width: image.width, height: image.height, data: new Uint8ClampedArray(image.data) };
}

/** Paints one module with the opposite ink. */
export function flipModule(rendered, column, row) {
  const { image, margin, scale } = rendered;
  const left = (margin + column) * scale;
  const top = (margin + row) * scale;
  const wasDark = image.data[(top * image.width + left) * 4] < 128;
  const value = wasDark ? 255 : 0;
  for (let y = top; y < top + scale; y += 1) {
    for (let x = left; x < left + scale; x += 1) image.data.fill(value, (y * image.width + x) * 4, (y * image.width + x) * 4 + 3);
  }
}

/** A deterministic pseudo-random sequence in [0, 1), so a failing case can be replayed. */
export function seededRandom(seed) {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

/**
 * Flips `count` distinct modules of the data region (outside the finder patterns, their
 * separators and the format information), chosen by `random`.
 */
export function damageDataModules(rendered, count, random) {
  const d = rendered.dimension;
  const damaged = { ...rendered, image: copy(rendered.image) };
  const chosen = new Set();
  while (chosen.size < count) {
    const column = Math.floor(random() * d);
    const row = Math.floor(random() * d);
    const nearFinder = (column < 9 && row < 9) || (column >= d - 8 && row < 9) || (column < 9 && row >= d - 8);
    if (nearFinder || chosen.has(row * d + column)) continue;
    chosen.add(row * d + column);
    flipModule(damaged, column, row);
  }
  return damaged.image;
}

/** Nearest-neighbour rescaling by any factor, as a screenshot at another zoom level. */
export function rescaleNearest(image, factor) {
  const width = Math.round(image.width * factor);
  const height = Math.round(image.height * factor);
  const data = new Uint8ClampedArray(width * height * 4);
  for (let y = 0; y < height; y += 1) {
    const sy = Math.min(image.height - 1, Math.floor(y / factor));
    for (let x = 0; x < width; x += 1) {
      const sx = Math.min(image.width - 1, Math.floor(x / factor));
      data.set(image.data.subarray((sy * image.width + sx) * 4, (sy * image.width + sx) * 4 + 4), (y * width + x) * 4);
    }
  }
  return { width, height, data };
}

/** Area-averaging rescaling, as an image editor shrinks a copy: edges turn grey. */
export function rescaleSmooth(image, factor) {
  const width = Math.round(image.width * factor);
  const height = Math.round(image.height * factor);
  const data = new Uint8ClampedArray(width * height * 4);
  for (let y = 0; y < height; y += 1) {
    const y0 = y / factor;
    const y1 = Math.min(image.height, (y + 1) / factor);
    for (let x = 0; x < width; x += 1) {
      const x0 = x / factor;
      const x1 = Math.min(image.width, (x + 1) / factor);
      const sum = [0, 0, 0, 0];
      let area = 0;
      for (let sy = Math.floor(y0); sy < y1; sy += 1) {
        const cover = Math.min(sy + 1, y1) - Math.max(sy, y0);
        for (let sx = Math.floor(x0); sx < x1; sx += 1) {
          const weight = cover * (Math.min(sx + 1, x1) - Math.max(sx, x0));
          for (let c = 0; c < 4; c += 1) sum[c] += weight * image.data[(sy * image.width + sx) * 4 + c];
          area += weight;
        }
      }
      for (let c = 0; c < 4; c += 1) data[(y * width + x) * 4 + c] = Math.round(sum[c] / area);
    }
  }
  return { width, height, data };
}

/** The image turned a quarter clockwise, as a phone screenshot saved on its side. */
export function rotateQuarter({ width, height, data }) {
  const turned = new Uint8ClampedArray(data.length);
  for (let y = 0; y < height; y += 1) {
    for (let x = 0; x < width; x += 1) {
      const to = (x * height + (height - 1 - y)) * 4;
      turned.set(data.subarray((y * width + x) * 4, (y * width + x) * 4 + 4), to);
    }
  }
  return { width: height, height: width, data: turned };
}
