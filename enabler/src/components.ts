// The payment components. Each renders its form into a host element, checks what the
// shopper typed, and pays through POST /payments; a redirect action sends the browser to
// the payment provider's page.
import type { PaymentRequest, ProcessorClient } from "./client.ts";
import { field, h, host } from "./dom.ts";
import { type MessageKey, translate } from "./i18n.ts";
import { type Built, cardRequest, purchaseOrderRequest, simpleRequest, storedCardRequest } from "./requests.ts";
import { formatExpiry } from "./validation.ts";

/** What onComplete receives. */
export interface PaymentResult {
  isSuccess: boolean;
  paymentReference?: string;
}

/** Options every component shares, from the Enabler. */
export interface BaseOptions {
  client: ProcessorClient;
  locale?: string;
  onComplete: (result: PaymentResult) => void;
  onError: (error: unknown, context?: { paymentReference?: string }) => void;
  onActionRequired?: () => Promise<void>;
  /** Sends the browser to a URL; window.location.assign unless a test sets it. */
  navigate: (url: string) => void;
}

/** Options of one component, as the templates name them. */
export interface ComponentOptions {
  showPayButton?: boolean;
  onPayButtonClick?: () => Promise<{ storePaymentDetails?: boolean }>;
}

/** A payment component. */
export interface PaymentComponent {
  mount(selector: string): void;
  submit(opts?: { storePaymentDetails?: boolean }): Promise<void>;
  showValidation?(): void;
  isValid?(): boolean;
  isAvailable?(): Promise<boolean>;
}

/** Pays with body and reports the outcome: success means the PSP was asked to approve. */
export async function pay(base: BaseOptions, body: PaymentRequest, expectSuccess: boolean): Promise<void> {
  try {
    const { data, error } = await base.client.POST("/payments", { body });
    if (!data) {
      base.onError(error);
      return;
    }
    if (data.action?.type === "redirect") {
      await base.onActionRequired?.();
      base.navigate(data.action.url);
      return;
    }
    base.onComplete({ isSuccess: expectSuccess, paymentReference: data.paymentReference });
  } catch (err) {
    base.onError(err);
  }
}

/** A component made of a form. */
abstract class FormComponent implements PaymentComponent {
  protected errors: Record<string, HTMLElement> = {};
  protected status = h("p", { class: "ccx-status", role: "status", "aria-live": "polite" });

  constructor(
    protected base: BaseOptions,
    protected options: ComponentOptions,
    protected id: string,
  ) {}

  protected t(key: MessageKey): string {
    return translate(key, this.base.locale);
  }

  /** The form's rows. */
  protected abstract rows(): HTMLElement[];
  /** The request the form holds, or its problems. */
  protected abstract build(store: boolean): Built;
  /** Whether a sent request is expected to succeed (the test outcome asked for). */
  protected expectSuccess(body: PaymentRequest): boolean {
    return body.paymentOutcome !== "Rejected";
  }

  mount(selector: string): void {
    const form = h("form", { id: this.id, class: "ccx-form", novalidate: "" }, ...this.rows(), this.status);
    if (this.options.showPayButton) {
      form.append(h("button", { type: "submit", id: this.id + "-paymentButton" }, this.t("pay")));
    }
    form.addEventListener("submit", async (e) => {
      e.preventDefault();
      const opts = (await this.options.onPayButtonClick?.()) ?? {};
      await this.submit(opts);
    });
    host(selector).append(form);
  }

  showValidation(): void {
    const built = this.build(false);
    for (const [name, el] of Object.entries(this.errors)) {
      const problem = built.problems?.[name];
      el.textContent = problem ? this.t(problem) : "";
      el.previousElementSibling?.setAttribute("aria-invalid", problem ? "true" : "false");
    }
  }

  isValid(): boolean {
    return this.build(false).body !== undefined;
  }

  async isAvailable(): Promise<boolean> {
    return true;
  }

  async submit(opts: { storePaymentDetails?: boolean } = {}): Promise<void> {
    this.showValidation();
    const built = this.build(opts.storePaymentDetails === true);
    if (!built.body) return;
    this.status.textContent = this.t("processing");
    await pay(this.base, built.body, this.expectSuccess(built.body));
    this.status.textContent = "";
  }
}

/** The card form. The card's data stays in the browser; the mock PSP learns only the
 * outcome the template's test numbers stand for. */
export class CardComponent extends FormComponent {
  private inputs!: Record<"number" | "expiry" | "cvc" | "holder", HTMLInputElement>;

  protected rows(): HTMLElement[] {
    const number = field(this.id + "-cardNumber", this.t("cardNumber"), { inputmode: "numeric", autocomplete: "cc-number" });
    const expiry = field(this.id + "-expiryDate", this.t("expiry"), { inputmode: "numeric", autocomplete: "cc-exp", placeholder: "MM/YY" });
    const cvc = field(this.id + "-cvv", this.t("cvc"), { inputmode: "numeric", autocomplete: "cc-csc" });
    const holder = field(this.id + "-holderName", this.t("holder"), { autocomplete: "cc-name" });
    expiry.input.addEventListener("input", () => (expiry.input.value = formatExpiry(expiry.input.value)));
    this.inputs = { number: number.input, expiry: expiry.input, cvc: cvc.input, holder: holder.input };
    this.errors = { number: number.error, expiry: expiry.error, cvc: cvc.error, holder: holder.error };
    return [number.row, expiry.row, cvc.row, holder.row];
  }

  protected build(store: boolean): Built {
    const i = this.inputs;
    return cardRequest({ number: i.number.value, expiry: i.expiry.value, cvc: i.cvc.value, holder: i.holder.value }, store);
  }
}

/** The purchase-order form. */
export class PurchaseOrderComponent extends FormComponent {
  private po!: HTMLInputElement;
  private memo!: HTMLInputElement;

  protected rows(): HTMLElement[] {
    const po = field(this.id + "-poNumber", this.t("poNumber"), { required: "" });
    const memo = field(this.id + "-invoiceMemo", this.t("invoiceMemo"));
    this.po = po.input;
    this.memo = memo.input;
    this.errors = { poNumber: po.error };
    return [po.row, memo.row];
  }

  protected build(): Built {
    return purchaseOrderRequest(this.po.value, this.memo.value);
  }
}

/** A method with nothing to type: invoice, the custom test method, the offsite page. */
export class SimpleComponent extends FormComponent {
  constructor(
    base: BaseOptions,
    options: ComponentOptions,
    id: string,
    private type: "invoice" | "customtestmethod" | "offsite",
  ) {
    super(base, options, id);
  }

  protected rows(): HTMLElement[] {
    const text = { invoice: "invoice", customtestmethod: "customTestMethod", offsite: "offsite" } as const;
    return [h("p", {}, this.t(text[this.type]))];
  }

  protected build(): Built {
    return simpleRequest(this.type);
  }
}

/** A stored card: its brand and last digits, and the CVC to confirm it. */
export class StoredCardComponent extends FormComponent {
  private cvc!: HTMLInputElement;

  constructor(
    base: BaseOptions,
    options: ComponentOptions,
    id: string,
    private method: { id: string; displayOptions: { brand: { key: string }; endDigits: string } },
  ) {
    super(base, options, id);
  }

  protected rows(): HTMLElement[] {
    const d = this.method.displayOptions;
    const cvc = field(this.id + "-cvv", this.t("cvc"), { inputmode: "numeric", autocomplete: "cc-csc" });
    this.cvc = cvc.input;
    this.errors = { cvc: cvc.error };
    return [h("p", { class: "ccx-stored" }, `${this.t("storedCard")}: ${d.brand.key} •••• ${d.endDigits}`), cvc.row];
  }

  protected build(): Built {
    return storedCardRequest(this.method.id, this.cvc.value);
  }
}
