// The payment enabler and the typed client, as one module.
export { Enabler, componentTypes, type EnablerOptions, type PaymentComponent, type PaymentResult } from "./enabler.ts";
export { createProcessorClient, type ProcessorClient, type paths, type components } from "./client.ts";
