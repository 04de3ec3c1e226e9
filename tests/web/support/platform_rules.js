// The platform's own rule tables (GET /v1/rules), read from a short-lived `essc demo`,
// so the page modules are tested with what the C++ serves rather than with a copy.

import { startDemo } from './demo_server.js';

export async function platformRules() {
  const { origin, stop } = await startDemo('essc-rules-');
  try {
    const response = await fetch(`${origin}/v1/rules`);
    if (!response.ok) throw new Error(`GET /v1/rules answered ${response.status}`);
    return await response.json();
  } finally {
    await stop();
  }
}
