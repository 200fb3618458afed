// The payment enabler, with the public interface of commercetools' payment connector
// template, so storefronts and Checkout written for it can switch.
import { createProcessorClient, type StoredPaymentMethod } from "./client.ts";
import {
  type BaseOptions,
  CardComponent,
  type ComponentOptions,
  type PaymentComponent,
  type PaymentResult,
  PurchaseOrderComponent,
  SimpleComponent,
  StoredCardComponent,
} from "./components.ts";
import { h, host } from "./dom.ts";

export type { ComponentOptions, PaymentComponent, PaymentResult };

/** The Enabler's options, as the template names them. */
export interface EnablerOptions {
  processorUrl: string;
  sessionId: string;
  locale?: string;
  onComplete?: (result: PaymentResult) => void;
  onError?: (error: unknown, context?: { paymentReference?: string }) => void;
  onActionRequired?: () => Promise<void>;
}

/** Options of an express checkout, as the template names the one it needs. */
export interface ExpressOptions {
  onPayButtonClick(): Promise<{ sessionId: string }>;
}

/** A builder of one kind of component. */
export interface PaymentComponentBuilder {
  componentHasSubmit: boolean;
  build(config: ComponentOptions): PaymentComponent;
}

/** The component types createComponentBuilder offers. */
export const componentTypes = ["card", "invoice", "purchaseorder", "customtestmethod", "offsite"] as const;
export type ComponentType = (typeof componentTypes)[number];

let counter = 0;

/** The payment enabler. */
export class Enabler {
  private base: BaseOptions;
  private config: Promise<{ storedEnabled: boolean }>;

  constructor(options: EnablerOptions) {
    const client = createProcessorClient(options.processorUrl, options.sessionId);
    this.base = {
      client,
      locale: options.locale,
      onComplete: options.onComplete ?? (() => {}),
      onError: options.onError ?? (() => {}),
      onActionRequired: options.onActionRequired,
      navigate: (url) => window.location.assign(url),
    };
    this.config = client.GET("/operations/config").then(({ data }) => ({ storedEnabled: data?.storedPaymentMethodsConfig.isEnabled === true }));
  }

  /** A builder of the component of type. */
  async createComponentBuilder(type: string): Promise<PaymentComponentBuilder> {
    if (!(componentTypes as readonly string[]).includes(type)) {
      throw new Error(`Component type not supported: ${type}. Supported types: ${componentTypes.join(", ")}`);
    }
    const base = this.base;
    return {
      componentHasSubmit: true,
      build(config: ComponentOptions): PaymentComponent {
        const id = `ccx-${type}-${++counter}`;
        switch (type as ComponentType) {
          case "card":
            return new CardComponent(base, config, id);
          case "purchaseorder":
            return new PurchaseOrderComponent(base, config, id);
          default:
            return new SimpleComponent(base, config, id, type as "invoice" | "customtestmethod" | "offsite");
        }
      },
    };
  }

  /** The embedded drop-in: every component, one after the other, each with its pay button. */
  async createDropinBuilder(type: string): Promise<{ dropinHasSubmit: boolean; build(config: { onDropinReady?: () => Promise<void> }): { mount(selector: string): void; submit(): Promise<void> } }> {
    if (type !== "embedded") throw new Error(`Dropin type not supported: ${type}. Supported types: embedded`);
    const builders = await Promise.all(componentTypes.map((t) => this.createComponentBuilder(t)));
    return {
      dropinHasSubmit: false,
      build(config) {
        void config.onDropinReady?.();
        return {
          mount(selector: string) {
            const root = host(selector);
            builders.forEach((b, i) => {
              const slot = h("section", { id: `ccx-dropin-${componentTypes[i]}`, class: "ccx-dropin-item" });
              root.append(slot);
              b.build({ showPayButton: true }).mount(`#ccx-dropin-${componentTypes[i]}`);
            });
          },
          async submit() {
            throw new Error("The embedded drop-in pays with each component's own button.");
          },
        };
      },
    };
  }

  /** A builder of the express checkout of type; the mock PSP offers "sample", which asks
   * the storefront for a session when mounted and pays nothing by itself. */
  async createExpressBuilder(type: string): Promise<{ build(options: ExpressOptions): { mount(selector: string): Promise<void> } }> {
    if (type !== "sample") throw new Error(`Express checkout type not supported: ${type}. Supported types: sample`);
    return {
      build(options: ExpressOptions) {
        return {
          async mount(selector: string) {
            const { sessionId } = await options.onPayButtonClick();
            host(selector).append(h("p", { class: "ccx-express" }, `Sample express checkout for session ${sessionId}.`));
          },
        };
      },
    };
  }

  /** Whether the session's customer can use stored payment methods. */
  async isStoredPaymentMethodsEnabled(): Promise<boolean> {
    return (await this.config).storedEnabled;
  }

  /** The customer's stored methods of the allowed types. */
  async getStoredPaymentMethods(opts: { allowedMethodTypes: string[] }): Promise<{ storedPaymentMethods: StoredPaymentMethod[] }> {
    if (!(await this.isStoredPaymentMethodsEnabled())) return { storedPaymentMethods: [] };
    const { data } = await this.base.client.GET("/stored-payment-methods");
    return { storedPaymentMethods: (data?.storedPaymentMethods ?? []).filter((m) => opts.allowedMethodTypes.includes(m.type)) };
  }

  /** A builder of the component that pays with a stored card. */
  async createStoredPaymentMethodBuilder(type: string): Promise<{ componentHasSubmit: boolean; build(config: ComponentOptions & { id: string }): PaymentComponent }> {
    if (type !== "card") throw new Error(`Component type not supported: ${type}. Supported types: card`);
    if (!(await this.isStoredPaymentMethodsEnabled())) {
      throw new Error("Stored payment methods is not enabled and thus cannot be used to build a new component");
    }
    const { storedPaymentMethods } = await this.getStoredPaymentMethods({ allowedMethodTypes: ["card"] });
    const base = this.base;
    return {
      componentHasSubmit: true,
      build(config) {
        const method = storedPaymentMethods.find((m) => m.id === config.id);
        if (!method) {
          throw new Error(`Received stored payment method id "${config.id}" however that is not an available id to use. Available ones are: [${storedPaymentMethods.map((m) => m.id).join(", ")}]`);
        }
        return new StoredCardComponent(base, config, `ccx-stored-${++counter}`, method);
      },
    };
  }
}
