// Starts a fresh `essc demo` for one test run: its own data folder, a free port chosen by
// the server (--listen 127.0.0.1:0), ready once it prints "essc listening on <url>".
// ESSC_BINARY names the essc to run (ctest sets it); ESSC_WEB_DIR, when set, serves the
// pages from that folder instead of the copies compiled into the binary.

import { spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import readline from "node:readline";
import { kPhone, launchBrowser } from "./browser.js";

const kStartupMs = 60_000;  // first start derives keys and loads the demo data
const kStopMs = 10_000;     // SIGTERM lets requests in flight finish (README)

export async function startDemoServer() {
  const binary = process.env.ESSC_BINARY;
  if (!binary) throw new Error("ESSC_BINARY must name the essc binary (ctest sets it)");
  const dataDir = await mkdtemp(path.join(tmpdir(), "essc-browser-"));
  const args = ["demo", "--data-dir", dataDir, "--listen", "127.0.0.1:0"];
  if (process.env.ESSC_WEB_DIR) args.push("--web-dir", process.env.ESSC_WEB_DIR);
  const child = spawn(binary, args, { stdio: ["ignore", "pipe", "pipe"] });
  const stderr = [];
  child.stderr.on("data", (chunk) => {
    stderr.push(chunk);
    if (stderr.length > 200) stderr.shift();
  });
  const exited = new Promise((resolve) => child.once("exit", (code, signal) => resolve({ code, signal })));

  const url = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`essc demo did not report listening within ${kStartupMs} ms`)), kStartupMs);
    readline.createInterface({ input: child.stdout }).on("line", (line) => {
      const match = /^essc listening on (http:\/\/\S+)/.exec(line);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
    exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`essc demo exited (${code ?? signal}) before listening:\n${Buffer.concat(stderr).toString()}`));
    });
  });

  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), kStopMs);
      await exited;
      clearTimeout(timer);
    }
    await rm(dataDir, { recursive: true, force: true });
  };
  return { url, dataDir, stop };
}

// A fresh `essc demo` and Chromium with a page for the cardholder app at phone width.
export async function startDemoWithApp() {
  const server = await startDemoServer();
  try {
    const browser = await launchBrowser();
    const app = browser.watch(await browser.context.newPage(), "app");
    await app.setViewportSize(kPhone);
    return { server, browser, app };
  } catch (err) {
    await server.stop();
    throw err;
  }
}
