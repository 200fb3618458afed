// The requests the components send, built from what the shopper typed. Pure functions:
// they decide what is sent, or which messages to show instead.
import type { PaymentRequest } from "./client.ts";
import type { MessageKey } from "./i18n.ts";
import { cardBrand, testOutcome, validCardNumber, validCVC, validExpiry } from "./validation.ts";

/** A request to send, or the problems that keep it from being sent. */
export type Built = { body: PaymentRequest; problems?: undefined } | { body?: undefined; problems: Partial<Record<string, MessageKey>> };

/** What the card form holds. The number, expiry and CVC never leave the browser. */
export interface CardValues {
  number: string;
  expiry: string;
  cvc: string;
  holder: string;
}

/** The card payment: the test outcome of the number typed, never the card data. */
export function cardRequest(v: CardValues, store: boolean, now: Date = new Date()): Built {
  const problems: Partial<Record<string, MessageKey>> = {};
  if (!validCardNumber(v.number)) problems.number = "invalidCardNumber";
  if (!validExpiry(v.expiry, now)) problems.expiry = "invalidExpiry";
  if (!validCVC(v.cvc, cardBrand(v.number))) problems.cvc = "invalidCVC";
  if (v.holder.trim() === "") problems.holder = "invalidHolder";
  if (Object.keys(problems).length > 0) return { problems };
  const body: PaymentRequest = { paymentMethod: { type: "card" }, paymentOutcome: testOutcome(v.number) };
  if (store) body.paymentMethod.storePaymentMethod = true;
  return { body };
}

/** The purchase-order payment: a PO number is required. */
export function purchaseOrderRequest(poNumber: string, invoiceMemo: string): Built {
  if (poNumber.trim() === "") return { problems: { poNumber: "invalidPONumber" } };
  return { body: { paymentMethod: { type: "purchaseorder", poNumber: poNumber.trim(), invoiceMemo: invoiceMemo.trim() }, paymentOutcome: "Authorized" } };
}

/** A payment of a method with nothing to type. */
export function simpleRequest(type: "invoice" | "customtestmethod" | "offsite"): Built {
  return type === "offsite" ? { body: { paymentMethod: { type } } } : { body: { paymentMethod: { type }, paymentOutcome: "Authorized" } };
}

/** The payment with a stored card: the mock approves CVC 737, as the template's does. */
export function storedCardRequest(id: string, cvc: string): Built {
  if (!/^\d{3,4}$/.test(cvc.trim())) return { problems: { cvc: "invalidCVC" } };
  return { body: { paymentMethod: { type: "card", storedPaymentMethodId: id }, paymentOutcome: cvc.trim() === "737" ? "Authorized" : "Rejected" } };
}
