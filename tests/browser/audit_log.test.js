// A cardholder checks that their payment is in the platform's audit log (R-S8), in
// Debian's Chromium against a fresh `essc demo`: 张三 is issued his e-card, pays at the
// pharmacy's till with his payment code, and the app's record of the settlement reads
// 已存证 with the size of the log it was proven in, checked by the app itself against the
// signed checkpoint and the key of GET /v1/audit/key. The same proof, fetched here, is
// checked again in node and once more with its entry changed.

import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { kDesktop, screenshotBoth } from "./support/browser.js";
import { startDemoWithApp } from "./support/server.js";
import { lowContrastText } from "./support/contrast.js";
import { unreadableText } from "./support/readable.js";
import { behindSession, byTestId, issueWithSms, openEcard } from "./support/pages.js";

// Demo data (src/cli/demo_data.cpp).
const kZhang = { name: "张三", id: "330203199003070010", account: "6222021234567890128", phone: "13800000001" };
const kPassword = "135792";
const kLoggedWithinMs = 15_000;  // the merge delay is 1 s (API.md); room for a slow machine

describe("the app proves its own settlement is in the audit log (R-S8)", { timeout: 300_000 }, () => {
  let server;
  let browser;
  let app;

  before(async () => ({ server, browser, app } = await startDemoWithApp()));

  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  const whenOpened = (ready) => behindSession(app, kPassword, ready);

  let auditIndex;
  let receiptIndex;

  it("张三 is issued his e-card at level 2 and pays at the pharmacy with his code", async () => {
    assert.equal(await issueWithSms(app, server.url, kZhang, kPassword), 2);
    await byTestId(app, "open-ecard").click();
    await byTestId(app, "action-qr").click();
    await whenOpened("qr-image");
    const code = await app.locator('[data-testid="qr-image"][data-token]').getAttribute("data-token");

    const till = browser.watch(await browser.context.newPage(), "till");
    await till.setViewportSize(kDesktop);
    await till.goto(`${server.url}/till/`);
    await till.locator('[data-testid="till-institution"]:not([disabled])').waitFor();
    await byTestId(till, "till-institution").selectOption("pharmacy");
    await byTestId(till, "till-code").fill(code);
    await byTestId(till, "till-preset").selectOption("0");
    await byTestId(till, "till-settle").click();
    await byTestId(till, "till-receipt").waitFor();
    // The embedded store sequences on commit: the receipt names the entry at once.
    receiptIndex = await byTestId(till, "till-receipt-audit").getAttribute("data-index");
    assert.match(await byTestId(till, "till-receipt-audit").textContent(), new RegExp(`^#${receiptIndex}$`));
    await till.close();
    await byTestId(app, "qr-paid").waitFor();
  });

  it("the settlement's record reads 已存证 with the log's size, checked by the app", async () => {
    // Sequenced within the merge delay: until then the record reads 存证中, so look again.
    const deadline = Date.now() + kLoggedWithinMs;
    let mark;
    for (;;) {
      await openEcard(app, server.url, "gov");
      await byTestId(app, "action-account").click();
      const record = app.locator('[data-testid="records-settlements"] li.record').first();
      await record.waitFor();
      mark = record.locator('[data-testid="record-audit"]');
      await mark.waitFor();
      if (await byTestId(app, "audit-unlock").count()) {
        await byTestId(app, "audit-unlock").click();
        await byTestId(app, "session-password").fill(kPassword);
        await byTestId(app, "session-open").click();
      }
      await app.locator('[data-testid="record-audit"]:not([data-state="locked"]):not([data-state="checking"])').first().waitFor();
      if (await mark.getAttribute("data-state") !== "pending" || Date.now() > deadline) break;
      await app.waitForTimeout(500);
    }
    assert.equal(await mark.getAttribute("data-state"), "verified",
      `${await mark.getAttribute("data-reason")}: ${await mark.textContent()}`);
    const index = Number(await mark.getAttribute("data-index"));
    const size = Number(await mark.getAttribute("data-size"));
    assert.ok(Number.isSafeInteger(index) && index >= 0 && size > index, `index ${index} in a log of ${size}`);
    assert.match(await mark.textContent(), new RegExp(`已存证.*日志共 ${size} 条`, "s"));
    auditIndex = index;
    assert.equal(String(index), receiptIndex, "the record proves the entry the till's receipt named");
    const overflow = await screenshotBoth(app, "app-audit-verified");
    assert.deepEqual(overflow, { phone: 0, desktop: 0 });
    assert.deepEqual(await unreadableText(app), []);
    assert.deepEqual(await lowContrastText(app), []);
  });

  it("the same proof holds in node, and not with its entry changed", async () => {
    const { parseVerifierKey, verifyRecordProof } = await import("../../web/shared/transparency.js");
    const key = await (await fetch(`${server.url}/v1/audit/key`)).json();
    const answer = await app.evaluate(async ({ index, password }) => {
      const { channelCall, openSession } = await import("/app/channel.js");
      const bindingId = decodeURIComponent(location.hash.split("/")[4]);
      const token = await openSession("gov", bindingId, password);
      return channelCall("gov", "GET", `ecards/${encodeURIComponent(bindingId)}/records/proof?index=${index}`, { session: token });
    }, { index: auditIndex, password: kPassword });
    const verifier = parseVerifierKey(key.vkey);
    const result = await verifyRecordProof(answer, verifier, { origin: key.origin, expectedIndex: auditIndex });
    assert.equal(result.ok, true, result.reason);
    assert.equal(typeof result.entry?.action, "string", "the entry is the audit record's JSON");
    const entry = Buffer.from(answer.entry_base64, "base64");
    entry[entry.length - 2] ^= 1;
    const changed = await verifyRecordProof({ ...answer, entry_base64: entry.toString("base64") }, verifier, { origin: key.origin });
    assert.equal(changed.ok, false);
  });

  it("no page logged an error", () => {
    assert.deepEqual(browser.problems, []);
  });
});
