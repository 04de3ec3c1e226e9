// Risk control at the payment code (R-K1, R-K3), in Debian's Chromium against a fresh
// `essc demo`: 张三 pays at the pharmacy's till six times within the hour (the region's
// `settlements_per_hour_max`), so his seventh payment code is refused with the way
// forward; the app leads him to 安全提醒, where a face check confirms it is him, and the
// code comes at once after it.

import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { kDesktop, screenshotBoth } from "./support/browser.js";
import { startDemoWithApp } from "./support/server.js";
import { lowContrastText } from "./support/contrast.js";
import { unreadableText } from "./support/readable.js";
import { behindSession, byTestId, issueWithSms, passFace } from "./support/pages.js";

// Demo data (src/cli/demo_data.cpp); POLICY.md's default [risk] thresholds.
const kZhang = { name: "张三", id: "330203199003070010", account: "6222021234567890128", phone: "13800000001" };
const kPassword = "135792";
const kSettlementsPerHourMax = 6;

describe("a payment code past the hour's settlements asks the cardholder to confirm (R-K3)", { timeout: 300_000 }, () => {
  let server;
  let browser;
  let app;
  let till;

  before(async () => ({ server, browser, app } = await startDemoWithApp()));

  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  const whenOpened = (ready) => behindSession(app, kPassword, ready);

  // The code on the app's screen, settled at the till with its first preset on a new bill.
  async function payWithShownCode() {
    if (await byTestId(till, "till-receipt").isVisible()) await byTestId(till, "till-new-bill").click();
    const code = await app.locator('[data-testid="qr-image"][data-token]').getAttribute("data-token");
    await byTestId(till, "till-code").fill(code);
    await byTestId(till, "till-preset").selectOption("0");
    await byTestId(till, "till-settle").click();
    await byTestId(till, "till-receipt").waitFor();
    await byTestId(app, "qr-paid").waitFor();
  }

  it(`张三 pays ${kSettlementsPerHourMax} times within the hour`, async () => {
    assert.equal(await issueWithSms(app, server.url, kZhang, kPassword), 2);
    await byTestId(app, "open-ecard").click();
    await byTestId(app, "action-qr").click();
    await whenOpened("qr-image");

    till = browser.watch(await browser.context.newPage(), "till");
    await till.setViewportSize(kDesktop);
    await till.goto(`${server.url}/till/`);
    await till.locator('[data-testid="till-institution"]:not([disabled])').waitFor();
    await byTestId(till, "till-institution").selectOption("pharmacy");
    for (let paid = 1; paid <= kSettlementsPerHourMax; ++paid) {
      await payWithShownCode();
      if (paid < kSettlementsPerHourMax) {
        await byTestId(app, "qr-paid-again").click();
        await whenOpened("qr-image");
      }
    }
  });

  it("the next code is refused with the way to 安全提醒, and nothing is shown to scan", async () => {
    await byTestId(app, "qr-paid-again").click();
    await whenOpened("qr-way-step-up");
    assert.match(await byTestId(app, "qr-error").textContent(), /确认/);
    assert.equal(await app.locator('[data-testid="qr-image"][data-token]').count(), 0);
    const overflow = await screenshotBoth(app, "app-qr-step-up");
    assert.deepEqual(overflow, { phone: 0, desktop: 0 });
    assert.deepEqual(await unreadableText(app), []);
    assert.deepEqual(await lowContrastText(app), []);
  });

  it("a face check in 安全提醒 confirms it is him, and the code comes at once", async () => {
    await byTestId(app, "qr-way-step-up").click();
    await whenOpened("risk-event");
    const open = app.locator('[data-testid="risk-event"][data-status="open"]');
    await open.first().waitFor();
    assert.match(await open.first().textContent(), /出示付款码.*短时间内结算次数较多/s);
    await open.first().locator('[data-testid="risk-confirm"]').click();
    await byTestId(app, "verify-start").click();
    await passFace(app);
    await byTestId(app, "risk-confirmed").waitFor();
    await byTestId(app, "risk-to-qr").click();
    await whenOpened("qr-image");
    await payWithShownCode();
  });

  it("no page logged an error", () => {
    assert.deepEqual(browser.problems, []);
  });
});
