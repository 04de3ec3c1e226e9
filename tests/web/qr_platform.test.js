// The in-page QR decoder (web/qr/decode.js) against the PNGs the essc server itself
// renders for e-card codes (R-U2): a demo server is started, 张三 is issued an e-card in
// the demo gov channel through the demo client backend, and the identity and payment
// codes it answers are decoded as sent, as a shrunken copy, and with damage.
// ESSC_BIN names the essc executable (ctest passes it).

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';

import { decodeQr } from '../../web/qr/decode.js';
import { readPng } from './support/png.js';
import { damageDataModules, rescaleSmooth, seededRandom } from './support/images.js';
import { startDemo } from './support/demo_server.js';

const essc = process.env.ESSC_BIN;
// render_qr_png: 4 pixels a module and a 4-module quiet zone.
const kModulePixels = 4;
const kQuietModules = 4;

let demo;
let origin;

async function gov(method, route, body, headers = {}) {
  const response = await fetch(`${origin}/demo/api/gov${route}`, {
    method, headers: { 'content-type': 'application/json', ...headers }, body: body && JSON.stringify(body),
  });
  const answer = await response.json();
  assert.ok(response.ok, `${method} ${route}: ${response.status} ${JSON.stringify(answer)}`);
  return answer;
}

/** Issues 张三 an e-card (face path, level 1) and opens a session; {binding, session}. Once. */
let opened;
function openEcard() {
  opened ??= issueEcard();
  return opened;
}

async function issueEcard() {
  const verification = await gov('POST', '/v1/verifications',
    { purpose: 'issue', name: '张三', id_number: '330203199003070010' });
  await gov('POST', `/v1/verifications/${verification.verification_id}/face`,
    { image_base64: Buffer.from('a live face').toString('base64') });
  const ecard = await gov('POST', '/v1/ecards', { verification_id: verification.verification_id, password: '258013' });
  const session = await gov('POST', `/v1/ecards/${ecard.binding_id}/sessions`, { password: '258013' });
  return { binding: ecard.binding_id, session: session.session_token };
}

async function platformCode(ecard, purpose, format = undefined) {
  const code = await gov('POST', `/v1/ecards/${ecard.binding}/qrcodes`, { purpose, format }, { 'x-essc-session': ecard.session });
  return { token: code.token, image: readPng(Buffer.from(code.png_base64, 'base64')) };
}

before(async () => {
  if (!essc) return;
  demo = await startDemo('essc-qr-');
  origin = demo.origin;
});

after(async () => {
  await demo?.stop();
});

test('decodes the identity and payment codes the essc server renders', { skip: !essc && 'ESSC_BIN not set' }, async () => {
  const ecard = await openEcard();
  for (const purpose of ['identity', 'payment']) {
    const { token, image } = await platformCode(ecard, purpose);
    assert.match(token, /^ESSC1\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
    assert.equal(decodeQr(image), token, `${purpose} code as sent`);
    assert.equal(decodeQr(rescaleSmooth(image, 0.6)), token, `${purpose} code shrunk to 2.4 px a module`);
    const dimension = image.width / kModulePixels - 2 * kQuietModules;
    const rendered = { image, margin: kQuietModules, scale: kModulePixels, dimension };
    assert.equal(decodeQr(damageDataModules(rendered, 12, seededRandom(purpose.length))), token, `${purpose} code damaged`);
  }
});

// The compact form (docs/qr-token.md): QR alphanumeric mode, a version-7 symbol (45 modules).
test('decodes the compact codes the essc server renders', { skip: !essc && 'ESSC_BIN not set' }, async () => {
  const ecard = await openEcard();
  for (const purpose of ['identity', 'payment']) {
    const { token, image } = await platformCode(ecard, purpose, 'compact');
    assert.match(token, /^EC1:[0-9A-Z $%*+\-./:]+$/);
    const dimension = image.width / kModulePixels - 2 * kQuietModules;
    assert.equal(dimension, 45, 'version 7');
    assert.equal(decodeQr(image), token, `${purpose} code as sent`);
    assert.equal(decodeQr(rescaleSmooth(image, 0.6)), token, `${purpose} code shrunk to 2.4 px a module`);
    const rendered = { image, margin: kQuietModules, scale: kModulePixels, dimension };
    assert.equal(decodeQr(damageDataModules(rendered, 12, seededRandom(purpose.length))), token, `${purpose} code damaged`);
  }
});
