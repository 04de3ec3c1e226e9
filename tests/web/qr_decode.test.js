// The in-page QR decoder (web/qr/decode.js) against codes rendered by libqrencode, the
// library the essc server renders its e-card codes with (R-U2): every version, every
// error-correction level, every data mode, rescaled copies and damaged codes.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';

import { decodeQr } from '../../web/qr/decode.js';
import {
  damageDataModules, flipModule, renderQr, rescaleNearest, rescaleSmooth, rotateQuarter, seededRandom,
} from './support/images.js';

/** A string shaped like the platform's QR token (docs/qr-token.md). */
function tokenLike() {
  const payload = Buffer.from(JSON.stringify({
    v: 1, kid: 'k2026a', jti: randomBytes(16).toString('base64url'), sub: randomBytes(16).toString('base64url'),
    pur: 'payment', iat: 1795000000, exp: 1795000060,
  })).toString('base64url');
  return `ESSC1.${payload}.${randomBytes(64).toString('base64url')}`;
}

test('decodes a token rendered as the server renders it (8-bit, level M, 4 px a module)', () => {
  const token = tokenLike();
  const { image } = renderQr(token, { level: 'M', scale: 4, margin: 4 });
  assert.equal(decodeQr(image), token);
});

test('decodes every version from 1 to 40', () => {
  for (let version = 1; version <= 40; version += 1) {
    const level = ['L', 'M', 'Q', 'H'][version % 4];
    const text = `v${version}${level}`;
    const rendered = renderQr(text, { version, level, scale: 2, margin: 4 });
    assert.equal(rendered.version, version, 'qrencode rendered the version asked for');
    assert.equal(decodeQr(rendered.image), text, `version ${version}`);
  }
});

test('decodes every error-correction level, full to capacity', () => {
  const capacityAtVersion10 = { L: 271, M: 213, Q: 151, H: 119 };
  for (const [level, bytes] of Object.entries(capacityAtVersion10)) {
    const text = 'x'.repeat(bytes - 3) + level.repeat(3);
    const rendered = renderQr(text, { level, scale: 3 });
    assert.equal(rendered.version, 10, `${bytes} bytes fill version 10 at level ${level}`);
    assert.equal(decodeQr(rendered.image), text, `level ${level}`);
  }
});

test('decodes numeric, alphanumeric, mixed and UTF-8 byte segments', () => {
  const texts = [
    '01234567890123456789012345678901234567',
    'HTTPS://ESSC.EXAMPLE/ABC $%*+-./: 42',
    'ORDER 20261126000123 总额 ¥12.34 ESSC1.abc',
    '电子社保卡 宁波第一医院',
  ];
  for (const text of texts) {
    const { image } = renderQr(text, { eightBit: false, scale: 3 });
    assert.equal(decodeQr(image), text);
  }
});

test('decodes a kanji segment (Shift JIS)', () => {
  const nihon = Buffer.from([0x93, 0xfa, 0x96, 0x7b]);
  const { image } = renderQr(nihon, { eightBit: false, kanji: true, scale: 3 });
  assert.equal(decodeQr(image), '日本');
});

test('decodes copies scaled by non-integer factors, sharp and smoothed', () => {
  const token = tokenLike();
  const large = renderQr(token, { scale: 8 }).image;
  const small = renderQr(token, { scale: 2 }).image;
  const copies = {
    'nearest ×0.6 (4.8 px a module)': rescaleNearest(large, 0.6),
    'nearest ×1.37 from 2 px': rescaleNearest(small, 1.37),
    'smooth ×0.45 (3.6 px a module)': rescaleSmooth(large, 0.45),
    'smooth ×0.3 (2.4 px a module)': rescaleSmooth(large, 0.3),
    'smooth ×1.7 from 2 px': rescaleSmooth(small, 1.7),
  };
  for (const [name, image] of Object.entries(copies)) assert.equal(decodeQr(image), token, name);
});

test('decodes a code inside a larger screenshot', () => {
  const token = tokenLike();
  const code = renderQr(token, { scale: 3 }).image;
  const width = code.width + 300;
  const height = code.height + 200;
  const data = new Uint8ClampedArray(width * height * 4).fill(235);
  for (let y = 0; y < code.height; y += 1) {
    data.set(code.data.subarray(y * code.width * 4, (y + 1) * code.width * 4), ((y + 120) * width + 170) * 4);
  }
  assert.equal(decodeQr({ width, height, data }), token);
});

test('decodes a code turned by quarter turns (version information read from either corner)', () => {
  const text = 'ESSC1 turned 12345';
  let image = renderQr(text, { version: 8, scale: 3 }).image;
  for (let turn = 1; turn <= 3; turn += 1) {
    image = rotateQuarter(image);
    assert.equal(decodeQr(image), text, `${turn} quarter turn(s)`);
  }
});

test('decodes a code on a transparent background (transparent black, as canvases store it)', () => {
  const token = tokenLike();
  const { image } = renderQr(token, { scale: 3 });
  for (let i = 0; i < image.data.length; i += 4) {
    if (image.data[i] > 128) image.data.fill(0, i, i + 4);
  }
  assert.equal(decodeQr(image), token);
});

test('corrects damaged modules within the error-correction capacity', () => {
  const token = tokenLike();
  const rendered = renderQr(token, { level: 'M', scale: 3 });
  for (let seed = 1; seed <= 10; seed += 1) {
    const image = damageDataModules(rendered, 20, seededRandom(seed));
    assert.equal(decodeQr(image), token, `seed ${seed}`);
  }
});

test('reads the format information from its second copy when the first is damaged', () => {
  const token = tokenLike();
  const rendered = renderQr(token, { scale: 3 });
  for (const [column, row] of [[0, 8], [2, 8], [4, 8], [8, 1], [8, 3], [8, 5]]) flipModule(rendered, column, row);
  assert.equal(decodeQr(rendered.image), token);
});

test('answers null, never a wrong text, when damage exceeds the capacity', () => {
  const rendered = renderQr(tokenLike(), { level: 'L', scale: 3 });
  const cells = rendered.dimension * rendered.dimension;
  for (let seed = 1; seed <= 5; seed += 1) {
    assert.equal(decodeQr(damageDataModules(rendered, Math.floor(cells / 4), seededRandom(seed))), null, `seed ${seed}`);
  }
});

test('answers null for images without a code', () => {
  const width = 200;
  const height = 150;
  const blank = { width, height, data: new Uint8ClampedArray(width * height * 4).fill(255) };
  assert.equal(decodeQr(blank), null);
  const random = seededRandom(7);
  const noise = { width, height, data: new Uint8ClampedArray(width * height * 4) };
  for (let i = 0; i < noise.data.length; i += 4) noise.data.fill(random() < 0.5 ? 0 : 255, i, i + 3);
  noise.data.forEach((_, i) => { if (i % 4 === 3) noise.data[i] = 255; });
  assert.equal(decodeQr(noise), null);
});
