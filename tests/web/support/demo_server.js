// A short-lived `essc demo` on a free loopback port in a temporary folder, for the page
// tests that need the real platform. ESSC_BIN names the essc executable (ctest sets it).

import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const kStartTimeoutMs = 120000;

/** Starts the demo; resolves to {origin, stop}, stop() ending the server, then its folder. */
export async function startDemo(prefix) {
  const essc = process.env.ESSC_BIN;
  if (!essc) throw new Error('ESSC_BIN must name the essc executable (ctest sets it)');
  const parent = process.env.ESSC_TEST_TMP ?? tmpdir();
  mkdirSync(parent, { recursive: true });
  const folder = mkdtempSync(path.join(parent, prefix));
  const server = spawn(essc, ['demo', '--data-dir', path.join(folder, 'data'), '--listen', '127.0.0.1:0'],
    { stdio: ['ignore', 'pipe', 'pipe'] });
  const stop = async () => {
    if (server.exitCode === null && server.signalCode === null) {
      // The server writes its last audit checkpoint as it stops: the folder goes after it.
      const exited = new Promise((resolve) => server.once('exit', resolve));
      server.kill('SIGTERM');
      await exited;
    }
    rmSync(folder, { recursive: true, force: true });
  };
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
    return { origin, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}
