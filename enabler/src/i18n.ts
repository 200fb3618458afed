// The enabler's words, in English and German.

const messages = {
  en: {
    cardNumber: "Card number",
    expiry: "Expiry (MM/YY)",
    cvc: "Security code",
    holder: "Name on the card",
    pay: "Pay",
    storeCard: "Save this card for next time",
    invalidCardNumber: "Enter a valid card number.",
    invalidExpiry: "Enter a valid expiry date.",
    invalidCVC: "Enter the security code.",
    invalidHolder: "Enter the name on the card.",
    poNumber: "Purchase order number",
    invoiceMemo: "Invoice memo",
    invalidPONumber: "Enter the purchase order number.",
    invoice: "Pay by invoice and transfer the amount by the due date.",
    customTestMethod: "Pay with the custom test method.",
    offsite: "You will confirm the payment on the payment provider's page.",
    storedCard: "Saved card",
    paymentFailed: "The payment did not go through. Please try again.",
    processing: "Processing the payment…",
  },
  de: {
    cardNumber: "Kartennummer",
    expiry: "Gültig bis (MM/JJ)",
    cvc: "Prüfnummer",
    holder: "Name auf der Karte",
    pay: "Bezahlen",
    storeCard: "Karte für das nächste Mal speichern",
    invalidCardNumber: "Bitte eine gültige Kartennummer eingeben.",
    invalidExpiry: "Bitte ein gültiges Ablaufdatum eingeben.",
    invalidCVC: "Bitte die Prüfnummer eingeben.",
    invalidHolder: "Bitte den Namen auf der Karte eingeben.",
    poNumber: "Bestellnummer",
    invoiceMemo: "Rechnungsvermerk",
    invalidPONumber: "Bitte die Bestellnummer eingeben.",
    invoice: "Per Rechnung zahlen und den Betrag bis zum Fälligkeitsdatum überweisen.",
    customTestMethod: "Mit der Test-Zahlungsart bezahlen.",
    offsite: "Sie bestätigen die Zahlung auf der Seite des Zahlungsanbieters.",
    storedCard: "Gespeicherte Karte",
    paymentFailed: "Die Zahlung ist nicht durchgegangen. Bitte erneut versuchen.",
    processing: "Die Zahlung wird verarbeitet…",
  },
} as const;

/** A message key. */
export type MessageKey = keyof (typeof messages)["en"];

/** Returns the message for key in locale ("de-DE" reads "de"), English when unknown. */
export function translate(key: MessageKey, locale?: string): string {
  return pick(messages, locale)[key] ?? key;
}

/** The table of locale ("de-DE" reads "de"), English when there is none. */
export function pick<T>(tables: { en: T } & Record<string, T>, locale?: string): T {
  return tables[(locale ?? "en").split("-")[0]] ?? tables.en;
}
