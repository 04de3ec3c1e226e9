// The FAQ's journey through the three pages in Debian's Chromium, against a fresh
// `essc demo`: a refused application, face failure and the SMS fallback (level 2), the
// same password in a second channel and its upgrade, the dynamic QR code, a pharmacy
// settlement and its receipt, a loss report at the counter that suspends the e-card in
// every channel, cancelling it, a replacement that unlinks it, and applying again. Each
// page is saved at phone and desktop widths in ESSC_SCREENSHOT_DIR.

import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { launchBrowser, kDesktop, kPhone, screenshotBoth } from "./support/browser.js";
import { startDemoServer } from "./support/server.js";
import {
  byTestId, consoleCardAction, consoleLogin, consoleLookup, ecardStatus, fillApplication, issue, openChannel,
  openEcard, passFace, passSms, startApplication,
} from "./support/pages.js";

// Demo data (src/cli/demo_data.cpp).
const kZhang = { name: "张三", id: "330203199003070010", account: "6222021234567890128", phone: "13800000001" };
const kLi = { name: "李四", id: "330203198505120028" };
const kPassword = "135792";
const kHrPin = "975310";

let server;
let browser;
let app;
let desk;
const overflowing = [];

async function shoot(page, name) {
  const overflow = await screenshotBoth(page, name);
  if (overflow.phone > 0 || overflow.desktop > 0) overflowing.push(`${name} ${JSON.stringify(overflow)}`);
}

describe("the FAQ journey across the cardholder app, the till and the counter console", { timeout: 600_000 }, () => {
  before(async () => {
    server = await startDemoServer();
    browser = await launchBrowser();
    app = browser.watch(await browser.context.newPage(), "app");
    await app.setViewportSize(kPhone);
    // A controllable clock, so the QR code's 50-second refresh is seen without waiting.
    await app.clock.install();
    desk = browser.watch(await browser.context.newPage(), "console");
    await desk.setViewportSize(kDesktop);
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  it("the landing page links the app, the till and the console", async () => {
    const landing = browser.watch(await browser.context.newPage(), "landing");
    await landing.goto(`${server.url}/`);
    for (const id of ["link-app", "link-till", "link-console"]) assert.equal(await landing.locator(`#${id}`).count(), 1);
    assert.equal(await landing.locator("html").getAttribute("lang"), "zh-CN");
    await shoot(landing, "landing");
    await landing.close();
  });

  it("the channel picker lists the three demo channels", async () => {
    await app.goto(`${server.url}/app/`);
    for (const key of ["gov", "bank", "wallet"]) await byTestId(app, `channel-${key}`).waitFor();
    await shoot(app, "app-channels");
  });

  it("an uncollected card is refused with the FAQ's words, in Chinese and in English (R-E5)", async () => {
    await openChannel(app, server.url, "gov");
    await startApplication(app, kLi.name, kLi.id);
    const error = byTestId(app, "apply-error");
    await error.waitFor();
    assert.equal(await error.getAttribute("data-error-code"), "CARD_NOT_COLLECTED");
    assert.match(await error.textContent(), /实体社保卡尚未领取，请先领取实体社保卡/);
    assert.match(await byTestId(app, "apply-check-card").textContent(), /其他原因请拨打人力资源社会保障热线：12333/);
    await app.locator('.lang-switch button[data-lang="en"]').click();
    assert.match(await error.textContent(), /The physical card has not been collected yet; collect it first\./);
    assert.equal(await app.locator("html").getAttribute("lang"), "en");
    await shoot(app, "app-refused-en");
    await app.locator('.lang-switch button[data-lang="zh"]').click();
    assert.match(await error.textContent(), /实体社保卡尚未领取/);
  });

  it("a failed liveness check offers the SMS path, which issues at level 2 (R-E6, R-E4)", async () => {
    await fillApplication(app, kZhang.name, kZhang.id);
    await byTestId(app, "face-outcome-liveness_fail").check();
    await byTestId(app, "face-start").click();
    const faceError = byTestId(app, "face-error");
    await faceError.waitFor();
    assert.match(await faceError.textContent(), /活体检测未通过，可改用银行预留手机短信认证/);
    await shoot(app, "app-face-failed");
    await byTestId(app, "use-sms").click();
    await byTestId(app, "sms-account").fill(kZhang.account);
    await byTestId(app, "sms-phone").fill(kZhang.phone);
    await byTestId(app, "sms-send").click();
    await byTestId(app, "sms-sent").waitFor();
    await byTestId(app, "sandbox-sms").filter({ hasText: /\d{6}/ }).waitFor();
    await shoot(app, "app-sms");
    const code = (await byTestId(app, "sandbox-sms").textContent()).match(/\d{6}/)[0];
    await byTestId(app, "sms-code").fill(code);
    await byTestId(app, "sms-verify").click();

    // R-W2: the rules tick live as the password is typed, and the platform's reason shows.
    await byTestId(app, "new-password").fill("123456");
    await app.locator('[data-testid="new-password-checks"] li[data-rule="sequential"].fail').waitFor();
    await byTestId(app, "new-password").fill("900307");
    await app.locator('[data-testid="new-password-checks"] li[data-rule="birth_date"].fail').waitFor();
    await byTestId(app, "new-password-confirm").fill("900307");
    await shoot(app, "app-password");
    await byTestId(app, "issue").click();
    const refusal = byTestId(app, "issue-error");
    await refusal.waitFor();
    assert.equal(await refusal.getAttribute("data-error-code"), "WEAK_PASSWORD");
    assert.match(await refusal.textContent(), /密码过于简单，请重新设置.*密码不能为出生日期/s);

    await byTestId(app, "new-password").fill(kPassword);
    await byTestId(app, "new-password-confirm").fill(kPassword);
    assert.equal(await issue(app), 2);
    await byTestId(app, "open-ecard").click();
    await byTestId(app, "actions").waitFor();
    assert.equal(await ecardStatus(app), "usable");
    await shoot(app, "app-ecard");
  });

  it("a second channel takes the same e-card password, then upgrades to level 2 (R-E7, R-E4)", async () => {
    await openChannel(app, server.url, "bank");
    await startApplication(app, kZhang.name, kZhang.id);
    await passFace(app);
    await byTestId(app, "existing-password").waitFor();
    assert.equal(await byTestId(app, "new-password").count(), 0);  // the platform said: password_set
    await byTestId(app, "existing-password").fill(kPassword);
    assert.equal(await issue(app), 1);
    await byTestId(app, "open-ecard").click();
    await byTestId(app, "action-upgrade").click();
    await byTestId(app, "verify-start").click();
    await passSms(app, kZhang.account, kZhang.phone);
    await byTestId(app, "upgrade-done").waitFor();
    assert.equal(await byTestId(app, "upgrade-done").locator(".badge--level2").count(), 1);
    await shoot(app, "app-upgraded");
  });

  it("level 2 pays a contribution from the bank account with the e-card password (R-U5)", async () => {
    await openEcard(app, server.url, "bank");
    await byTestId(app, "action-contribute").click();
    await byTestId(app, "contribute-amount").fill("380.00");
    await byTestId(app, "contribute-password").fill(kPassword);
    await byTestId(app, "contribute-submit").click();
    await byTestId(app, "contribute-done").filter({ hasText: "¥380.00" }).waitFor();
    await shoot(app, "app-contribution");
  });

  it("the card face is masked until the eye is tapped (R-U3)", async () => {
    await openEcard(app, server.url, "gov");
    await byTestId(app, "action-face").click();
    await byTestId(app, "session-password").fill(kPassword);
    await byTestId(app, "session-open").click();
    await byTestId(app, "eye-toggle").waitFor();
    assert.notEqual(await byTestId(app, "ecard-id").textContent(), kZhang.id);
    await byTestId(app, "eye-toggle").click();
    await byTestId(app, "ecard-id").filter({ hasText: kZhang.id }).waitFor();
    assert.equal(await byTestId(app, "ecard-name").textContent(), kZhang.name);
    await shoot(app, "app-card-face");
  });

  let paymentCode;
  let accountPaid;

  it("the payment QR code counts down from 60 seconds and refreshes by itself (R-U2)", async () => {
    await openEcard(app, server.url, "gov");
    await byTestId(app, "action-qr").click();
    const image = app.locator('[data-testid="qr-image"][data-token]');
    await image.waitFor();
    const first = await image.getAttribute("data-token");
    await app.locator('[data-testid="qr-countdown"][data-seconds]').waitFor();
    const seconds = Number(await byTestId(app, "qr-countdown").getAttribute("data-seconds"));
    assert.ok(seconds > 50 && seconds <= 60, `countdown starts near 60 s, shows ${seconds}`);
    await shoot(app, "app-qr");
    await app.clock.fastForward("00:51");
    await app.waitForFunction((old) => {
      const img = document.querySelector('[data-testid="qr-image"]');
      return img.dataset.token && img.dataset.token !== old;
    }, first);
    paymentCode = await image.getAttribute("data-token");
    assert.match(paymentCode, /^ESSC1\./);
    assert.equal(await byTestId(app, "qr-text").textContent(), paymentCode);
  });

  it("the pharmacy reads the code from its image, settles the bill and prints the receipt (R-U4)", async () => {
    const src = await app.locator('[data-testid="qr-image"]').getAttribute("src");
    const till = browser.watch(await browser.context.newPage(), "till");
    await till.setViewportSize(kDesktop);
    await till.goto(`${server.url}/till/`);
    await till.locator('[data-testid="till-institution"]:not([disabled])').waitFor();
    await byTestId(till, "till-institution").selectOption("pharmacy");
    await byTestId(till, "till-upload").setInputFiles({
      name: "payment-code.png", mimeType: "image/png", buffer: Buffer.from(src.split(",")[1], "base64"),
    });
    await till.locator('[data-testid="till-scan-status"][data-kind="success"]').waitFor();
    assert.equal((await byTestId(till, "till-code").inputValue()).trim(), paymentCode);
    for (const preset of ["0", "1", "2"]) await byTestId(till, "till-preset").selectOption(preset);
    await byTestId(till, "till-settle").click();
    await byTestId(till, "till-receipt").waitFor();
    const fen = async (id) => Number((await byTestId(till, id).textContent()).replace(/[^0-9]/g, ""));
    const total = await fen("till-receipt-total");
    assert.equal(total, 1850 + 2680 + 3900);
    assert.equal(await fen("till-receipt-fund") + await fen("till-receipt-account") + await fen("till-receipt-self-pay"), total);
    accountPaid = await fen("till-receipt-account");
    assert.ok(accountPaid > 0, "the personal account pays its part");
    await shoot(till, "till-receipt");
    await till.close();
  });

  it("the app shows the settlement and the personal account after it (R-U7)", async () => {
    await openEcard(app, server.url, "gov");
    await byTestId(app, "action-account").click();
    await byTestId(app, "balance").waitFor();
    const balance = Number((await byTestId(app, "balance-amount").textContent()).replace(/[^0-9]/g, ""));
    assert.equal(balance, 100000 - accountPaid);
    await app.locator('[data-testid="records-settlements"] li.record').first().waitFor();
    await shoot(app, "app-account");
  });

  it("a loss report at the counter suspends the e-card in every channel (R-L1)", async () => {
    await consoleLogin(desk, server.url, "clerk", "demo-clerk-2026");
    await consoleLookup(desk, kZhang.id);
    await shoot(desk, "console-card");
    await consoleCardAction(desk, "report-loss", "lost");
    for (const channel of ["gov", "bank"]) {
      await openEcard(app, server.url, channel);
      assert.equal(await ecardStatus(app), "suspended", `${channel} binding`);
    }
    assert.match(await byTestId(app, "ecard-banner").textContent(), /实体社保卡已挂失/);
    await shoot(app, "app-suspended");
  });

  it("cancelling the loss report in the app restores every channel (R-L2)", async () => {
    await openEcard(app, server.url, "gov");
    await byTestId(app, "action-cancel-loss").click();
    await byTestId(app, "verify-start").click();
    await passFace(app);
    await byTestId(app, "cancel-loss-submit").click();
    await byTestId(app, "loss-done").waitFor();
    for (const channel of ["gov", "bank"]) {
      await openEcard(app, server.url, channel);
      assert.equal(await ecardStatus(app), "usable", `${channel} binding`);
    }
  });

  it("a replacement unlinks the e-card; the new card is collected and activated, then issued again (R-L3)", async () => {
    await consoleLookup(desk, kZhang.id);
    await consoleCardAction(desk, "replace", "pending_pickup");
    await openEcard(app, server.url, "gov");
    assert.equal(await ecardStatus(app), "unlinked");
    assert.match(await byTestId(app, "ecard-banner").textContent(), /实体社保卡已补换/);
    await shoot(app, "app-unlinked");

    await byTestId(app, "apply-again").click();
    await fillApplication(app, kZhang.name, kZhang.id);
    const error = byTestId(app, "apply-error");
    await error.waitFor();
    assert.equal(await error.getAttribute("data-error-code"), "CARD_NOT_COLLECTED");

    await consoleCardAction(desk, "collect", "inactive");
    await consoleCardAction(desk, "activate", "active", { hr_pin: kHrPin });
    await byTestId(app, "apply-next").click();
    await passFace(app);
    await byTestId(app, "new-password").waitFor();
    await byTestId(app, "new-password").fill(kPassword);
    await byTestId(app, "new-password-confirm").fill(kPassword);
    assert.equal(await issue(app), 1);
    await byTestId(app, "open-ecard").click();
    assert.equal(await ecardStatus(app), "usable");
  });

  it("no page scrolls sideways and no page logged an error", () => {
    assert.deepEqual(overflowing, []);
    assert.deepEqual(browser.problems, []);
  });
});
