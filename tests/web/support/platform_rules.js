// The platform's own rule tables (GET /v1/rules), read from a short-lived `essc demo`,
// so the page modules are tested with what the C++ serves rather than with a copy.
// ESSC_BIN names the essc executable (ctest passes it).

import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const kStartTimeoutMs = 120000;

export async function platformRules() {
  const essc = process.env.ESSC_BIN;
  if (!essc) throw new Error('ESSC_BIN must name the essc executable (ctest sets it)');
  const parent = process.env.ESSC_TEST_TMP ?? tmpdir();
  mkdirSync(parent, { recursive: true });
  const folder = mkdtempSync(path.join(parent, 'essc-rules-'));
  const server = spawn(essc, ['demo', '--data-dir', path.join(folder, 'data'), '--listen', '127.0.0.1:0'],
    { stdio: ['ignore', 'pipe', 'pipe'] });
  try {
    const origin = await new Promise((resolve, reject) => {
      let output = '';
      const timer = setTimeout(() => reject(new Error(`essc demo did not start:\n${output}`)), kStartTimeoutMs);
      server.stdout.on('data', (chunk) => {
        output += chunk;
        const ready = /essc listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
        if (ready) {
          clearTimeout(timer);
          resolve(ready[1]);
        }
      });
      server.stderr.resume();
      server.on('exit', (code) => reject(new Error(`essc demo exited with ${code}:\n${output}`)));
    });
    const response = await fetch(`${origin}/v1/rules`);
    if (!response.ok) throw new Error(`GET /v1/rules answered ${response.status}`);
    return await response.json();
  } finally {
    server.kill('SIGTERM');
    await new Promise((resolve) => (server.exitCode === null ? server.once('exit', resolve) : resolve()));
    rmSync(folder, { recursive: true, force: true });
  }
}
