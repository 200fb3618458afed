// The gift-card enabler, with the public interface of commercetools' gift-card connector
// template: a code field, balance(), submit({amount}).
import type { components } from "./api.gen.ts";
import { field, h, host } from "./dom.ts";
import { giftCardText } from "./giftcard-i18n.ts";

type Money = components["schemas"]["Money"];
type RedeemResponse = components["schemas"]["RedeemResponse"];

/** The gift-card enabler's options. */
export interface GiftCardEnablerOptions {
  processorUrl: string;
  sessionId: string;
  locale?: string;
  onComplete?: (result: { isSuccess: boolean | string; paymentReference?: string }) => void;
  onError?: (error: unknown) => void;
}

/** What balance() resolves to: the processor's answer, valid or not. */
export type BalanceResult = { status: { state: string; errors?: { code: string; message: string }[] }; amount?: Money };

/** The gift-card enabler. */
export class GiftCardEnabler {
  constructor(private options: GiftCardEnablerOptions) {}

  /** A builder of the gift-card form. */
  async createGiftCardBuilder(): Promise<{ build(config?: object): GiftCardComponent }> {
    const options = this.options;
    return { build: () => new GiftCardComponent(options) };
  }
}

/** The gift-card form. */
export class GiftCardComponent {
  private input?: HTMLInputElement;
  private message?: HTMLElement;

  constructor(private options: GiftCardEnablerOptions) {}

  /** Posts body to the processor's path; the answer's JSON, whatever its status. */
  private async post<T>(path: "/balance" | "/redeem", body: unknown): Promise<{ ok: boolean; json: T }> {
    const res = await fetch(this.options.processorUrl.replace(/\/+$/, "") + path, {
      method: "POST", headers: { "Content-Type": "application/json", "X-Session-Id": this.options.sessionId }, body: JSON.stringify(body),
    });
    return { ok: res.ok, json: (await res.json()) as T };
  }

  /** Renders the code field into selector. */
  mount(selector: string): void {
    const code = field("giftcard-code", giftCardText("giftCardCode", this.options.locale), { autocomplete: "off" });
    this.input = code.input;
    this.message = code.error;
    host(selector).append(h("div", { class: "ccx-giftcard" }, code.row));
  }

  private code(): string {
    return (this.input?.value ?? "").replace(/\s/g, "");
  }

  /** Asks the processor for the card's balance and shows why a card cannot be used. */
  async balance(): Promise<BalanceResult | undefined> {
    const locale = this.options.locale;
    try {
      const { json } = await this.post<BalanceResult>("/balance", { code: this.code() });
      const state = json?.status?.state;
      if (!state) throw json;
      if (this.message) {
        this.message.textContent =
          state === "Valid" && json.amount
            ? giftCardText("giftCardBalance", locale, { amount: formatMoney(json.amount, locale) })
            : giftCardText("error" + (json.status.errors?.[0]?.code ?? "GenericError"), locale);
      }
      return json;
    } catch (err) {
      if (this.message) this.message.textContent = giftCardText("errorGenericError", locale);
      this.options.onError?.(err);
      return undefined;
    }
  }

  /** Redeems amount from the card. */
  async submit({ amount }: { amount: Money }): Promise<void> {
    try {
      const { ok, json } = await this.post<RedeemResponse>("/redeem", { code: this.code(), redeemAmount: amount });
      if (!ok) {
        this.options.onError?.(json);
        return;
      }
      this.options.onComplete?.({ isSuccess: json.result === "Success", paymentReference: json.paymentReference });
    } catch (err) {
      this.options.onError?.(err);
    }
  }
}

/** Formats minor units for the shopper, as a decimal string: never through a float. */
export function formatMoney(m: Money, locale?: string): string {
  const digits = m.fractionDigits ?? 2;
  const abs = String(Math.abs(m.centAmount)).padStart(digits + 1, "0");
  const decimal = (m.centAmount < 0 ? "-" : "") + abs.slice(0, abs.length - digits) + (digits > 0 ? "." + abs.slice(-digits) : "");
  const nf = new Intl.NumberFormat(locale ?? "en", { style: "currency", currency: m.currencyCode, minimumFractionDigits: digits });
  return nf.format(decimal as unknown as number); // a decimal string keeps every digit
}
