// The counter console offers an action only where the card's state allows it (the R-C1
// transition table) and the operator's role may ask for it (API.md "Persons and physical
// cards"; the financial function is the issuing bank's, R-C3), with the tables the
// platform serves: the expectations below are SPEC.md's, checked against them.

import { test } from 'node:test';
import assert from 'node:assert/strict';

import {
  actionRequest, allowedActions, bindingStateFor, mayIssueCard, mayReadAudit, useRules,
} from '../../web/console/card_actions.js';
import { platformRules } from './support/platform_rules.js';

// The state machine and the roles are the platform's own (GET /v1/rules).
useRules(await platformRules());

// Every card here is of the bank NBCB; a teller is of NBCB unless told otherwise.
const ids = (card, role, bank_code = role === 'bank_teller' ? 'NBCB' : undefined) =>
  allowedActions({ bank_code: 'NBCB', ...card }, { role, bank_code }).map((action) => action.id);

// R-C1: from state → the actions with a target state.
const kTransitions = {
  pending_pickup: ['collect', 'cancel'],
  inactive: ['activate', 'replace', 'cancel'],
  active: ['report-loss', 'lock', 'replace', 'cancel'],
  lost: ['cancel-loss', 'replace', 'cancel'],
  locked: ['report-loss', 'unlock', 'replace', 'cancel'],
  cancelled: [],
  replaced: [],
};
const kLifecycleOrder = ['collect', 'activate', 'report-loss', 'cancel-loss', 'lock', 'unlock', 'replace', 'cancel'];

test('a counter clerk and an administrator see exactly the R-C1 transitions of the state', () => {
  for (const role of ['hr_clerk', 'admin']) {
    for (const [status, expected] of Object.entries(kTransitions)) {
      const sorted = [...expected].sort((a, b) => kLifecycleOrder.indexOf(a) - kLifecycleOrder.indexOf(b));
      assert.deepEqual(ids({ status, financial_active: false }, role), sorted, `${role} on ${status}`);
    }
  }
});

test('a bank teller activates cards and runs the financial function, nothing else', () => {
  assert.deepEqual(ids({ status: 'inactive', financial_active: false }, 'bank_teller'), ['activate']);
  assert.deepEqual(ids({ status: 'active', financial_active: false }, 'bank_teller'), ['financial-activate']);
  assert.deepEqual(ids({ status: 'active', financial_active: true }, 'bank_teller'), ['reserved-phone']);
  assert.deepEqual(ids({ status: 'lost', financial_active: true }, 'bank_teller'), ['reserved-phone']);
  assert.deepEqual(ids({ status: 'cancelled', financial_active: true }, 'bank_teller'), []);
  assert.deepEqual(ids({ status: 'pending_pickup', financial_active: false }, 'bank_teller'), []);
});

test('R-C3 a teller of another bank is offered nothing on the card', () => {
  for (const status of Object.keys(kTransitions)) {
    for (const financial_active of [false, true]) {
      assert.deepEqual(ids({ status, financial_active }, 'bank_teller', 'ICBC'), [], `${status}`);
    }
  }
});

test('counter roles never see the bank teller actions', () => {
  assert.ok(!ids({ status: 'active', financial_active: false }, 'hr_clerk').includes('financial-activate'));
  assert.ok(!ids({ status: 'active', financial_active: true }, 'admin').includes('reserved-phone'));
});

test('each action calls its API.md route', () => {
  assert.deepEqual(actionRequest('A1234567X', 'report-loss'), { method: 'POST', path: '/v1/cards/A1234567X/report-loss' });
  assert.deepEqual(actionRequest('A1234567X', 'financial-activate'), { method: 'POST', path: '/v1/cards/A1234567X/financial/activate' });
  assert.deepEqual(actionRequest('A1234567X', 'reserved-phone'), { method: 'PUT', path: '/v1/cards/A1234567X/financial/reserved-phone' });
});

test('cards are issued to people without one in use; the audit log is for administrators', () => {
  assert.equal(mayIssueCard({}, 'hr_clerk'), true);
  assert.equal(mayIssueCard({ card: { status: 'cancelled' } }, 'admin'), true);
  assert.equal(mayIssueCard({ card: { status: 'lost' } }, 'hr_clerk'), false);
  assert.equal(mayIssueCard({}, 'bank_teller'), false);
  assert.deepEqual(['admin', 'hr_clerk', 'bank_teller'].map(mayReadAudit), [true, false, false]);
});

test('bindings follow the card (R-L1…R-L4)', () => {
  assert.deepEqual(['active', 'lost', 'locked', 'replaced', 'cancelled', 'pending_pickup', 'inactive'].map(bindingStateFor),
    ['usable', 'suspended', 'suspended', 'unlinked', 'unlinked', 'suspended', 'suspended']);
});
