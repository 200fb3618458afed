// The typed client of the processor: every path, body and answer comes from
// api/openapi.yaml (src/api.gen.ts is generated from it). Storefronts may use it as the
// processor's TypeScript SDK.
import createClient, { type Client } from "openapi-fetch";
import type { components, paths } from "./api.gen.ts";

export type { components, paths };

/** A client of the processor at processorUrl for a Checkout session. */
export type ProcessorClient = Client<paths>;

/** Returns a client whose every request carries the session id. */
export function createProcessorClient(processorUrl: string, sessionId: string, fetchImpl?: typeof fetch): ProcessorClient {
  const client = createClient<paths>({ baseUrl: processorUrl.replace(/\/+$/, ""), fetch: fetchImpl });
  client.use({
    onRequest({ request }) {
      request.headers.set("X-Session-Id", sessionId);
      return request;
    },
  });
  return client;
}

/** The body of POST /payments. */
export type PaymentRequest = components["schemas"]["PaymentRequest"];
/** The body of POST /redeem. */
export type RedeemRequest = components["schemas"]["RedeemRequest"];
/** A stored payment method, as GET /stored-payment-methods lists it. */
export type StoredPaymentMethod = components["schemas"]["StoredPaymentMethod"];
