// The till's reading of a code's purpose and expiry (web/till/code_info.js) from the
// token format of docs/qr-token.md (R-U2).

import { test } from 'node:test';
import assert from 'node:assert/strict';

import { readCodeInfo, secondsLeft } from '../../web/till/code_info.js';

const token = (payload) => `ESSC1.${Buffer.from(JSON.stringify(payload)).toString('base64url')}.c2lnbmF0dXJl`;

test('reads purpose and expiry from a token', () => {
  const payload = { v: 1, kid: 'k', jti: 'j', sub: 's', pur: 'payment', iat: 1795000000, exp: 1795000060 };
  assert.deepEqual(readCodeInfo(token(payload)), { purpose: 'payment', expiresAt: 1795000060000 });
  assert.equal(readCodeInfo(token({ ...payload, pur: 'identity', sub: '电子社保卡' })).purpose, 'identity');
});

test('anything not shaped like a token gives nothing', () => {
  for (const text of ['', 'hello', 'ESSC1.', 'ESSC1.abc.def', 'ESSC2.e30.c2ln', token({ pur: 'pay', exp: 1 }),
    token({ pur: 'payment', exp: '1795000060' }), `${token({ pur: 'payment', exp: 1 })}.extra`]) {
    assert.equal(readCodeInfo(text), null, JSON.stringify(text));
  }
});

test('seconds left round up and stop at zero', () => {
  assert.equal(secondsLeft(61000, 1000), 60);
  assert.equal(secondsLeft(61000, 1001), 60);
  assert.equal(secondsLeft(61000, 60001), 1);
  assert.equal(secondsLeft(61000, 61000), 0);
  assert.equal(secondsLeft(61000, 99000), 0);
});
