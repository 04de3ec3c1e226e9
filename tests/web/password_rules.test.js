// The page's live password checks (web/shared/password_rules.js) against the cases the
// C++ rules are tested with (tests/rules/password_cases.json, run by
// src/domain/password_rules_test.cpp), and the reason texts against the platform's.

import './support/page_globals.js';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';

import { t } from '../../web/shared/i18n.js';
import { useRules, weakPasswordReason } from '../../web/shared/password_rules.js';
import { platformRules } from './support/platform_rules.js';

const { cases } = JSON.parse(readFileSync(new URL('../rules/password_cases.json', import.meta.url)));

test('R-W2 every shared case gets the reason the platform gives', () => {
  assert.ok(cases.length >= 20);
  for (const { password, id_number: idNumber, reason } of cases) {
    assert.equal(weakPasswordReason(password, idNumber), reason, `${password} for ${idNumber}`);
  }
});

test('R-W2 the reason texts shown are the platform\'s, for every reason it knows', async () => {
  const rules = await platformRules();
  useRules(rules);
  const reasons = rules.password.reasons.map((r) => r.reason);
  assert.deepEqual(reasons, ['repeated_digits', 'sequential', 'birth_date', 'id_suffix', 'same_as_card_pin']);
  for (const { reason, message } of rules.password.reasons) assert.equal(t(`password.reason.${reason}`), message);
  // Every reason the page can find is one the platform knows.
  for (const { reason } of cases) if (reason) assert.ok(reasons.includes(reason), reason);
});
