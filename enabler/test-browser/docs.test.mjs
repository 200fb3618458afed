// The API reference at /docs, loaded in chromium: it renders the contract and loads
// nothing from anywhere but the processor.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { after, before, test } from "node:test";
import { chromium } from "playwright-core";

let processor, base, browser;

before(async () => {
  processor = spawn(process.env.PROCESSOR_BIN, [], { env: { ...process.env, HOST: "127.0.0.1", PORT: "0" }, stdio: ["ignore", "pipe", "ignore"] });
  base = await new Promise((resolve, reject) => {
    let out = "";
    processor.stdout.on("data", (d) => {
      out += d;
      const m = /"msg":"processor listening","addr":"([^"]+)"/.exec(out);
      if (m) resolve("http://" + m[1]);
    });
    processor.on("exit", (code) => reject(new Error(`the processor exited (${code})`)));
  });
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
  });
});

after(async () => {
  await browser?.close();
  processor?.kill("SIGTERM");
});

test("the API reference is self-contained", async () => {
  const page = await browser.newPage();
  const elsewhere = [];
  page.on("request", (r) => {
    const url = r.url();
    if (!url.startsWith(base) && !url.startsWith("data:") && !url.startsWith("blob:") && !url.startsWith("about:")) elsewhere.push(url);
  });
  await page.goto(base + "/docs", { waitUntil: "networkidle" });
  await page.waitForFunction(() => document.body.innerText.includes("gift-cards"));
  assert.match(await page.title(), /commercetools Checkout payment and gift-card processor/);
  await page.screenshot({ path: new URL("./artifacts/docs.png", import.meta.url).pathname });
  assert.deepEqual(elsewhere, [], "no request leaves the processor");
});
