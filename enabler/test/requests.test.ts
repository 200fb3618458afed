import assert from "node:assert/strict";
import { test } from "node:test";
import { cardRequest, purchaseOrderRequest, simpleRequest, storedCardRequest } from "../src/requests.ts";
import { cardBrand, formatExpiry, testOutcome, validCardNumber, validCVC, validExpiry } from "../src/validation.ts";
import { formatMoney } from "../src/giftcard.ts";
import { translate } from "../src/i18n.ts";
import { giftCardText } from "../src/giftcard-i18n.ts";

const now = new Date(2026, 11, 1);

test("card numbers: Luhn and the brand's length", () => {
  assert.equal(validCardNumber("4111 1111 1111 1111"), true);
  assert.equal(validCardNumber("4111111111111112"), false, "Luhn");
  assert.equal(validCardNumber("341925950237632"), true, "amex has 15 digits");
  assert.equal(validCardNumber("411111111111111"), false, "a visa has 16");
  assert.equal(validCardNumber("4111-1111-1111-111a"), false);
  assert.equal(cardBrand("5555555555554444"), "mastercard");
  assert.equal(cardBrand("6"), "maestro");
  assert.equal(cardBrand("9"), "unknown");
});

test("expiry and CVC", () => {
  assert.equal(validExpiry("12/26", now), true, "this month");
  assert.equal(validExpiry("11/26", now), false, "last month");
  assert.equal(validExpiry("13/30", now), false);
  assert.equal(validExpiry("1/30", now), false);
  assert.equal(formatExpiry("0330"), "03/30");
  assert.equal(validCVC("123", "visa"), true);
  assert.equal(validCVC("1234", "visa"), false);
  assert.equal(validCVC("1234", "amex"), true);
});

test("the card request carries the test outcome, never the card", () => {
  const ok = cardRequest({ number: "4111 1111 1111 1111", expiry: "03/30", cvc: "123", holder: "A B" }, true, now);
  assert.deepEqual(ok.body, { paymentMethod: { type: "card", storePaymentMethod: true }, paymentOutcome: "Authorized" });
  assert.ok(!JSON.stringify(ok.body).includes("4111"), "the number stays in the browser");
  const declined = cardRequest({ number: "4000000000000002", expiry: "03/30", cvc: "123", holder: "A B" }, false, now);
  assert.equal(declined.body?.paymentOutcome, "Rejected");
  assert.equal(testOutcome("5555 5555 5555 4444"), "Authorized");
  const bad = cardRequest({ number: "42", expiry: "xx", cvc: "", holder: " " }, false, now);
  assert.deepEqual(bad.problems, { number: "invalidCardNumber", expiry: "invalidExpiry", cvc: "invalidCVC", holder: "invalidHolder" });
});

test("the other requests", () => {
  assert.deepEqual(purchaseOrderRequest("  PO-9 ", " dock "), {
    body: { paymentMethod: { type: "purchaseorder", poNumber: "PO-9", invoiceMemo: "dock" }, paymentOutcome: "Authorized" },
  });
  assert.deepEqual(purchaseOrderRequest(" ", "").problems, { poNumber: "invalidPONumber" });
  assert.deepEqual(simpleRequest("invoice").body, { paymentMethod: { type: "invoice" }, paymentOutcome: "Authorized" });
  assert.deepEqual(simpleRequest("offsite").body, { paymentMethod: { type: "offsite" } }, "the PSP's page decides");
  assert.equal(storedCardRequest("pm-1", "737").body?.paymentOutcome, "Authorized");
  assert.equal(storedCardRequest("pm-1", "111").body?.paymentOutcome, "Rejected");
  assert.deepEqual(storedCardRequest("pm-1", "7").problems, { cvc: "invalidCVC" });
});

test("words and amounts", () => {
  assert.equal(translate("pay", "de-DE"), "Bezahlen");
  assert.equal(translate("pay", "fr"), "Pay", "English when the locale is not known");
  assert.equal(giftCardText("errorExpired", "de"), "Der Gutschein ist abgelaufen.");
  assert.equal(giftCardText("errorNoSuchCode"), "The gift card cannot be used.");
  assert.equal(formatMoney({ centAmount: 123456, currencyCode: "EUR", fractionDigits: 2 }, "en"), "€1,234.56");
  assert.equal(formatMoney({ centAmount: 1500, currencyCode: "JPY", fractionDigits: 0 }, "en"), "¥1,500");
  assert.equal(formatMoney({ centAmount: 5, currencyCode: "EUR", fractionDigits: 2 }, "de"), "0,05\u00a0€", "German puts a no-break space before the sign");
});
