// The till's bill (web/till/bill.js): rows typed by a cashier become the integer-fen
// items of POST /v1/settlements (R-U4, POLICY.md "Items"), with exact category subtotals,
// and every order id is one the platform accepts.

import './support/page_globals.js';
import { test } from 'node:test';
import assert from 'node:assert/strict';

import { billItems, checkRow, newOrderId, subtotals, todayInChina, useBillRules } from '../../web/till/bill.js';
import { platformRules } from './support/platform_rules.js';

// The bounds are the platform's (GET /v1/rules from src/common/limits.hpp).
useBillRules((await platformRules()).bill);

const row = (category, quantity, price, code = 'X1', name = '药品') => ({ code, name, category, quantity, price });

test('a typed row becomes an item in integer fen', () => {
  assert.deepEqual(checkRow(row('B', ' 3 ', '12.3')).item,
    { code: 'X1', name: '药品', category: 'B', quantity: 3, unit_price_fen: 1230 });
  assert.equal(checkRow(row('A', '1', '0.07')).item.unit_price_fen, 7);
  assert.equal(checkRow(row('A', '1000', '100000')).item.unit_price_fen, 10000000);
});

test('a row that cannot be billed names each wrong field', () => {
  assert.deepEqual(Object.keys(checkRow(row('D', '0', '1.234', ' ', '')).errors).sort(),
    ['category', 'code', 'name', 'price', 'quantity']);
  for (const price of ['', '-1', '0', '0.00', '1e3', '1,000', '¥5', '1.234', 'abc', '100000.01']) {
    assert.ok(checkRow(row('A', '1', price)).errors?.price, `price ${JSON.stringify(price)}`);
  }
  for (const quantity of ['', '0', '1.5', '-2', '1001', 'two']) {
    assert.ok(checkRow(row('A', quantity, '1')).errors?.quantity, `quantity ${JSON.stringify(quantity)}`);
  }
});

test('subtotals are exact where floating point is not (0.10 + 0.20)', () => {
  const sums = subtotals([row('A', '1', '0.10'), row('A', '1', '0.20'), row('C', '3', '0.10')]);
  assert.deepEqual(sums, { A: 30, B: 0, C: 30, total: 60 });
});

test('the worked example of POLICY.md adds up to 80000 fen', () => {
  const rows = [row('A', '1', '200'), row('B', '1', '500.00'), row('C', '1', '100.0')];
  assert.deepEqual(subtotals(rows), { A: 20000, B: 50000, C: 10000, total: 80000 });
  assert.equal(billItems(rows).items.length, 3);
});

test('incomplete rows are left out of the subtotals and reported by position', () => {
  const rows = [row('A', '2', '5'), row('B', '1', ''), row('C', 'x', '1')];
  assert.deepEqual(subtotals(rows), { A: 1000, B: 0, C: 0, total: 1000 });
  assert.deepEqual(billItems(rows).errors, [
    { index: 1, field: 'price', key: 'till.bill.error.price' },
    { index: 2, field: 'quantity', key: 'till.bill.error.quantity' },
  ]);
  assert.equal(billItems([]).errors[0].key, 'till.bill.error.empty');
});

test('order ids use the China Standard Time date and the platform alphabet', () => {
  const at = new Date('2026-11-26T17:30:05Z');
  const id = newOrderId('pharmacy', at, Uint8Array.from([10, 11, 12, 255]));
  assert.equal(id, 'PHARMACY-20261127-013005-0A0B0CFF');
  assert.match(id, /^[A-Za-z0-9_.:-]{1,64}$/);
  assert.notEqual(newOrderId('hospital', at, Uint8Array.from([1, 2, 3, 4])),
    newOrderId('hospital', at, Uint8Array.from([1, 2, 3, 5])));
});

test('the settlement day turns at midnight in China, not in UTC', () => {
  assert.equal(todayInChina(new Date('2026-11-26T15:59:59Z')), '2026-11-26');
  assert.equal(todayInChina(new Date('2026-11-26T16:00:00Z')), '2026-11-27');
});
