// 已存证 in the cardholder app (R-S8, web/app/components/audit_mark.js) in Debian's
// Chromium, against a stand-in for the platform: the pages from web/ and the few answers
// the account screen asks for, with a log of seven entries computed apart from the app
// (support/tlog_vectors.py). One record proves its entry, one is answered with a tampered
// entry, one's proof the platform refuses, one is not in the log yet and one is no audited
// change; the password is asked first, since the proofs need the e-card session. The same
// vectors are then checked by web/shared/transparency.js in Chromium's own WebCrypto.
// tests/browser/journey.test.js sees 已存证 against the real server.

import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { readFile } from "node:fs/promises";
import http from "node:http";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { kPhone, launchBrowser, screenshotBoth } from "./support/browser.js";
import { lowContrastText } from "./support/contrast.js";
import { unreadableText } from "./support/readable.js";
import { byTestId } from "./support/pages.js";

const here = path.dirname(fileURLToPath(import.meta.url));
const kWebDir = path.resolve(here, "../../web");
const kSeed = "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60";
const kBinding = "b_audit_test";
const kToken = "session-token-of-the-test";
const kPassword = "135792";
const kTypes = { ".html": "text/html; charset=utf-8", ".js": "text/javascript", ".css": "text/css", ".svg": "image/svg+xml" };

function vectors() {
  const run = spawnSync("python3", [path.join(here, "support", "tlog_vectors.py"), kSeed, "7"], { encoding: "utf8" });
  if (run.status !== 0) throw new Error(`tlog_vectors.py failed: ${run.error?.message ?? run.stderr}`);
  return JSON.parse(run.stdout);
}

const record = (orderId, auditIndex) => ({
  at: "2026-12-04T10:00:05+08:00", visit: "pharmacy", institution_name: "海曙大药房", total_fen: 1850, fund_fen: 0,
  account_fen: 1850, self_pay_fen: 0, self_pay_method: "cash", status: "settled", order_id: orderId,
  ...(auditIndex === undefined ? {} : { audit_index: auditIndex }),
});

// The platform's answers the account screen asks for; `log` from tlog_vectors.py.
function platform(log) {
  const tree = log.trees[0];
  const proofOf = (index) => ({ ...tree.proofs[index], size: tree.size, checkpoint: tree.checkpoint });
  const tampered = proofOf(4);
  const entry = Buffer.from(tampered.entry_base64, "base64");
  entry[12] ^= 1;
  tampered.entry_base64 = entry.toString("base64");
  const proofs = { 2: proofOf(2), 4: tampered };  // 6 is not found
  const api = `/demo/api/gov/v1/ecards/${kBinding}`;
  const error = (status, code, message) => [status, { error: { code, message, message_en: message } }];
  return (method, url, headers) => {
    if (url.pathname === "/demo/api/clients") return [200, { items: [{ key: "gov", name: "宁波人社APP", kind: "channel", type: "gov" }] }];
    if (url.pathname === "/v1/rules") return [200, { errors: [] }];
    if (url.pathname === "/v1/audit/key") return [200, { origin: log.origin, key_name: log.vkey.split("+")[0], vkey: log.vkey }];
    if (url.pathname === `${api}/account`) {
      return [200, { medical_account_balance_fen: 98150, year: 2026, fund_paid_this_year_fen: 0, deductible_used_fen: 0 }];
    }
    if (url.pathname === `${api}/sessions` && method === "POST") {
      return [201, { session_token: kToken, expires_at: new Date(Date.now() + 600_000).toISOString() }];
    }
    if (url.pathname === `${api}/records` && url.searchParams.get("kind") === "settlements") {
      return [200, { items: [record("ORDER-2", 2), record("ORDER-4", 4), record("ORDER-6", 6), record("ORDER-NEW", null), record("ORDER-OLD")] }];
    }
    if (url.pathname === `${api}/records`) return [200, { items: [] }];
    if (url.pathname === `${api}/records/proof`) {
      if (headers["x-essc-session"] !== kToken) return error(401, "SESSION_INVALID", "会话无效");
      const proof = proofs[url.searchParams.get("index")];
      return proof ? [200, proof] : error(404, "NOT_FOUND", "未找到");
    }
    return null;
  };
}

async function startStandIn(answer) {
  const server = http.createServer(async (request, response) => {
    const url = new URL(request.url, "http://localhost");
    const answered = answer(request.method, url, request.headers);
    if (answered) {
      const [status, body] = answered;
      response.writeHead(status, { "Content-Type": "application/json" }).end(JSON.stringify(body));
      return;
    }
    const file = path.join(kWebDir, url.pathname.endsWith("/") ? `${url.pathname}index.html` : url.pathname);
    if (!file.startsWith(kWebDir)) return response.writeHead(403).end();
    try {
      const content = await readFile(file);
      response.writeHead(200, { "Content-Type": kTypes[path.extname(file)] ?? "application/octet-stream" }).end(content);
    } catch {
      response.writeHead(404).end();
    }
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { url: `http://127.0.0.1:${server.address().port}`, stop: () => new Promise((resolve) => server.close(resolve)) };
}

describe("已存证 on the cardholder's records (R-S8)", { timeout: 120_000 }, () => {
  let log;
  let standIn;
  let browser;
  let app;

  before(async () => {
    log = vectors();
    standIn = await startStandIn(platform(log));
    browser = await launchBrowser();
    app = browser.watch(await browser.context.newPage(), "app");
    await app.setViewportSize(kPhone);
  });

  after(async () => {
    await browser?.close();
    await standIn?.stop();
  });

  const markOf = (orderId) => app.locator("li.record", { hasText: orderId }).locator('[data-testid="record-audit"]');

  it("without a session the marks wait and 核验存证 asks for the password", async () => {
    await app.goto(`${standIn.url}/app/#/c/gov/e/${kBinding}/account`);
    await byTestId(app, "audit-unlock").waitFor();
    assert.equal(await markOf("ORDER-2").getAttribute("data-state"), "locked");
    assert.equal(await markOf("ORDER-NEW").getAttribute("data-state"), "pending");
    assert.match(await markOf("ORDER-NEW").textContent(), /存证中/);
    assert.equal(await markOf("ORDER-OLD").count(), 0, "a record that is no audited change has no mark");
    await byTestId(app, "audit-unlock").click();
    await byTestId(app, "session-password").fill(kPassword);
    await byTestId(app, "session-open").click();
  });

  it("a proven record reads 已存证 with the log's size; a tampered or refused one reads 校验失败 and why", async () => {
    const proven = app.locator('li.record:has-text("ORDER-2") [data-testid="record-audit"][data-state="verified"]');
    await proven.waitFor();
    assert.equal(await proven.getAttribute("data-size"), "7");
    assert.match(await proven.textContent(), /已存证/);
    assert.match(await proven.locator('[data-testid="record-audit-detail"]').textContent(), /日志共 7 条/);
    const tampered = app.locator('li.record:has-text("ORDER-4") [data-testid="record-audit"][data-state="failed"]');
    await tampered.waitFor();
    assert.equal(await tampered.getAttribute("data-reason"), "leaf_hash_mismatch");
    assert.match(await tampered.textContent(), /校验失败.*日志条目与其哈希不符/s);
    const refused = app.locator('li.record:has-text("ORDER-6") [data-testid="record-audit"][data-state="failed"]');
    await refused.waitFor();
    assert.equal(await refused.getAttribute("data-reason"), "not_found");
    assert.equal(await byTestId(app, "audit-unlock").count(), 0, "the session is open: nothing more to ask");
    await app.locator('.lang-switch button[data-lang="en"]').click();
    assert.match(await proven.textContent(), /In the audit log.*of 7/s);
    assert.match(await tampered.textContent(), /Check failed/);
    await app.locator('.lang-switch button[data-lang="zh"]').click();
    const overflow = await screenshotBoth(app, "app-audit-marks");
    assert.deepEqual(overflow, { phone: 0, desktop: 0 });
    assert.deepEqual(await unreadableText(app), []);
    assert.deepEqual(await lowContrastText(app), []);
  });

  it("Chromium's WebCrypto verifies every leaf of the independent log and refuses a split view", async () => {
    const tree = log.trees[0];
    const outcomes = await app.evaluate(async ({ tree, vkey, origin }) => {
      const { parseVerifierKey, verifyRecordProof } = await import("/shared/transparency.js");
      const verifier = parseVerifierKey(vkey);
      const results = [];
      for (const proof of tree.proofs) {
        const answer = { ...proof, size: tree.size, checkpoint: tree.checkpoint };
        const good = await verifyRecordProof(answer, verifier, { origin, expectedIndex: proof.index });
        const forked = await verifyRecordProof({ ...answer, checkpoint: tree.fork_checkpoint }, verifier, { origin });
        results.push([good.ok, good.size, forked.ok]);
      }
      return results;
    }, { tree, vkey: log.vkey, origin: log.origin });
    assert.deepEqual(outcomes, tree.proofs.map(() => [true, 7, false]));
  });

  it("no page logged an error", () => {
    assert.deepEqual(browser.problems, []);
  });
});
