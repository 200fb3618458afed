// The gift-card form's words, in English and German.
import { pick } from "./i18n.ts";

const messages = {
  en: {
    giftCardCode: "Gift card code",
    giftCardBalance: "Balance: {amount}",
    errorGenericError: "The gift card cannot be used.",
    errorExpired: "The gift card has expired.",
    errorNotFound: "The gift card is not known.",
    errorZeroBalance: "The gift card has no balance.",
    errorCurrencyNotMatch: "The gift card is in another currency.",
  },
  de: {
    giftCardCode: "Gutscheincode",
    giftCardBalance: "Guthaben: {amount}",
    errorGenericError: "Der Gutschein kann nicht verwendet werden.",
    errorExpired: "Der Gutschein ist abgelaufen.",
    errorNotFound: "Der Gutschein ist unbekannt.",
    errorZeroBalance: "Der Gutschein hat kein Guthaben.",
    errorCurrencyNotMatch: "Der Gutschein ist in einer anderen Währung.",
  },
} as const;

type Key = keyof (typeof messages)["en"];

/** The gift-card message for key, with {name} placeholders filled from values. */
export function giftCardText(key: string, locale?: string, values: Record<string, string> = {}): string {
  const table: Record<string, string> = pick<Record<Key, string>>(messages, locale);
  const text = table[key] ?? table.errorGenericError;
  return text.replace(/\{(\w+)\}/g, (_, name: string) => values[name] ?? "");
}
