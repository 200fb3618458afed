// Browser tests of the enabler: the processor binary in local mode, its demo checkout page
// driven in Debian's chromium through playwright-core, and the emulator asked what
// commercetools holds afterwards. PROCESSOR_BIN names the built processor; screenshots of
// the end states go to test-browser/artifacts/.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdirSync } from "node:fs";
import { after, before, test } from "node:test";
import { chromium } from "playwright-core";

const artifacts = new URL("./artifacts/", import.meta.url).pathname;
mkdirSync(artifacts, { recursive: true });

let processor, base, emulator, browser, page;

/** Starts the processor and waits for its address and its emulator's. */
async function startProcessor() {
  const bin = process.env.PROCESSOR_BIN;
  assert.ok(bin, "PROCESSOR_BIN names the processor binary");
  const child = spawn(bin, [], { env: { ...process.env, HOST: "127.0.0.1", PORT: "0", STORED_PAYMENT_METHODS_ENABLED: "true" }, stdio: ["ignore", "pipe", "pipe"] });
  let out = "", err = "";
  child.stdout.on("data", (d) => (out += d));
  child.stderr.on("data", (d) => (err += d));
  await new Promise((resolve, reject) => {
    const check = () => {
      const addr = /"msg":"processor listening","addr":"([^"]+)"/.exec(out);
      const emu = /emulator\s+(http:\/\/\S+)/.exec(err);
      if (addr && emu) {
        base = "http://" + addr[1];
        emulator = emu[1];
        resolve();
      }
    };
    child.stdout.on("data", check);
    child.stderr.on("data", check);
    child.on("exit", (code) => reject(new Error(`the processor exited (${code}): ${err}`)));
  });
  return child;
}

/** The payments commercetools holds for the demo's current cart, from the emulator. */
async function ctPayments() {
  const token = await (await fetch(emulator + "/oauth/token", {
    method: "POST", headers: { Authorization: "Basic " + btoa("local:local"), "Content-Type": "application/x-www-form-urlencoded" },
    body: "grant_type=client_credentials",
  })).json();
  const checkout = await (await fetch(base + "/demo/checkout")).json();
  const cart = await (await fetch(`${emulator}/payment-integration/carts/${checkout.cartId}?expand=paymentInfo.payments[*]`, {
    headers: { Authorization: "Bearer " + token.access_token },
  })).json();
  return (cart.paymentInfo?.payments ?? []).map((p) => ({
    method: p.obj.paymentMethodInfo.method,
    transactions: p.obj.transactions.map((t) => `${t.type} ${t.state} ${t.amount.centAmount}`),
  }));
}

/** Starts a new demo cart and waits until the page shows it with fresh forms. */
async function newCart() {
  const old = await page.textContent("#cart");
  await page.click("#new-cart");
  await page.waitForFunction((o) => {
    const cart = document.getElementById("cart").textContent;
    return cart !== "" && cart !== o && document.querySelector("#card form") && document.querySelector("#giftcard input");
  }, old);
}

async function result(pattern) {
  await page.waitForFunction((p) => new RegExp(p).test(document.getElementById("result").textContent), pattern.source);
  return page.textContent("#result");
}

async function payByCard(number) {
  await page.fill('#card input[name$="-cardNumber"]', number);
  await page.fill('#card input[name$="-expiryDate"]', "03/30");
  await page.fill('#card input[name$="-cvv"]', "123");
  await page.fill('#card input[name$="-holderName"]', "Ada Shopper");
  await page.click("#card button[type=submit]");
}

before(async () => {
  processor = await startProcessor();
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
  });
  page = await browser.newPage();
  await page.goto(base + "/");
  await page.waitForSelector("#card form");
});

after(async () => {
  await browser?.close();
  processor?.kill("SIGTERM");
});

test("a card the mock approves pays the cart", async () => {
  await payByCard("4111 1111 1111 1111");
  assert.match(await result(/^Paid: /), /^Paid: [0-9a-f-]{36}$/);
  await page.screenshot({ path: artifacts + "card-approved.png", fullPage: true });
  assert.deepEqual(await ctPayments(), [{ method: "card", transactions: ["Authorization Success 11985"] }]);
});

test("a declined card pays nothing", async () => {
  await newCart();
  await payByCard("4000 0000 0000 0002");
  await result(/^Declined/);
  await page.screenshot({ path: artifacts + "card-declined.png", fullPage: true });
  assert.deepEqual(await ctPayments(), [{ method: "card", transactions: ["Authorization Failure 11985"] }]);
});

test("the card form refuses what is not a card, and says so", async () => {
  await newCart();
  await payByCard("4111 1111 1111 1112");
  await page.waitForFunction(() => document.querySelector('#card [id$="-cardNumber-error"]').textContent !== "");
  assert.equal(await page.getAttribute('#card input[name$="-cardNumber"]', "aria-invalid"), "true");
  assert.deepEqual(await ctPayments(), [], "nothing was sent");
});

test("a purchase order", async () => {
  await newCart();
  await page.fill('#purchaseorder input[name$="-poNumber"]', "PO-2026-7");
  await page.click("#purchaseorder button[type=submit]");
  await result(/^Paid: /);
  assert.deepEqual(await ctPayments(), [{ method: "purchaseorder", transactions: ["Authorization Success 11985"] }]);
});

test("a saved card pays the next cart", async () => {
  await newCart();
  await page.check("#store-card");
  await payByCard("5555 5555 5555 4444");
  await result(/^Paid: /);
  await newCart();
  await page.waitForSelector("#stored form");
  assert.match(await page.textContent("#stored .ccx-stored"), /visa •••• 1111/);
  await page.fill('#stored input[name$="-cvv"]', "737");
  await page.click("#stored button[type=submit]");
  await result(/^Paid: /);
  await page.screenshot({ path: artifacts + "stored-card.png", fullPage: true });
  assert.deepEqual(await ctPayments(), [{ method: "card", transactions: ["Authorization Success 11985"] }]);
});

test("a gift card's balance, then a gift card and a card together", async () => {
  await newCart();
  await page.fill("#giftcard-code", "Valid-3000-EUR");
  await page.click("#giftcard-balance");
  assert.equal(await result(/^Gift card balance/), "Gift card balance: €30.00");
  await page.fill("#giftcard-amount", "3000");
  await page.click("#giftcard-redeem");
  await result(/^Redeemed: /);
  await payByCard("4111 1111 1111 1111");
  await result(/^Paid: /);
  await page.waitForFunction(() => document.getElementById("open").textContent === "€0.00");
  await page.screenshot({ path: artifacts + "split-tender.png", fullPage: true });
  assert.deepEqual(await ctPayments(), [
    { method: "giftcard", transactions: ["Charge Success 3000"] },
    { method: "card", transactions: ["Authorization Success 8985"] },
  ]);
});

test("a gift card the provider refuses", async () => {
  await newCart();
  await page.fill("#giftcard-code", "Expired");
  await page.click("#giftcard-balance");
  assert.equal(await result(/^Gift card: /), "Gift card: Expired");
  assert.equal(await page.textContent("#giftcard-code-error"), "The gift card has expired.");
  await page.fill("#giftcard-amount", "1000");
  await page.click("#giftcard-redeem");
  await result(/^Gift card refused/);
  await page.screenshot({ path: artifacts + "giftcard-refused.png", fullPage: true });
  assert.deepEqual(await ctPayments(), [{ method: "giftcard", transactions: ["Charge Failure 1000"] }]);
});

test("an offsite payment goes to the provider's page and back", async () => {
  await newCart();
  await page.click("#offsite button[type=submit]");
  await page.waitForSelector("#approve");
  assert.match(await page.textContent("body"), /Pay 11985 EUR\?/);
  await page.click("#approve");
  await page.waitForURL(/outcome=approved/);
  await result(/^Back from the provider's page: approved$/);
  await page.screenshot({ path: artifacts + "offsite-approved.png", fullPage: true });
  assert.deepEqual(await ctPayments(), [{ method: "offsite", transactions: ["Authorization Success 11985"] }]);
});
