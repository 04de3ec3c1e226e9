// Debian's Chromium driven by playwright-core (no browser download): headless, no
// sandbox (CI runs as root), nothing that reaches the network on its own, and a fresh
// profile folder per run so no state carries over between runs.

import { mkdtemp, mkdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { chromium } from "playwright-core";

const kChromium = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const kArgs = [
  "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
  "--disable-background-networking", "--disable-component-update", "--disable-sync",
];

export const kPhone = { width: 390, height: 844 };
export const kDesktop = { width: 1280, height: 800 };

export async function launchBrowser() {
  const profile = await mkdtemp(path.join(tmpdir(), "essc-chromium-"));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: kChromium,
    args: kArgs,
    headless: true,
    viewport: kDesktop,
    locale: "zh-CN",
    timezoneId: "Asia/Shanghai",
  });
  context.setDefaultTimeout(20_000);
  const problems = [];
  const watch = (page, name) => {
    page.on("pageerror", (err) => problems.push(`${name}: ${err.message}`));
    page.on("console", (message) => {
      // 4xx answers are the refusals the journey provokes on purpose; anything else is a bug.
      if (message.type() === "error" && !/status of 4\d\d/.test(message.text())) problems.push(`${name}: ${message.text()}`);
    });
    return page;
  };
  const close = async () => {
    await context.close();
    await rm(profile, { recursive: true, force: true });
  };
  return { context, watch, problems, close };
}

// Saves the page at phone and desktop widths (NAME-phone.png, NAME-desktop.png) in
// ESSC_SCREENSHOT_DIR and puts the viewport back; returns whether either width scrolls
// sideways, which no page may.
export async function screenshotBoth(page, name) {
  const dir = process.env.ESSC_SCREENSHOT_DIR ?? path.resolve("test-output", "screenshots");
  await mkdir(dir, { recursive: true });
  const original = page.viewportSize();
  const overflow = {};
  for (const [label, size] of [["phone", kPhone], ["desktop", kDesktop]]) {
    await page.setViewportSize(size);
    // A full-page capture of a scrolled page repeats the sticky header mid-page.
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.waitForTimeout(150);
    overflow[label] = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    await page.screenshot({ path: path.join(dir, `${name}-${label}.png`), fullPage: true });
  }
  await page.setViewportSize(original);
  return overflow;
}
