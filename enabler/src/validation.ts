// Checks of what a shopper types, run in the browser: nothing here leaves the page.

/** Card brands the enabler recognises by the number's first digit. */
export type CardBrand = "visa" | "mastercard" | "maestro" | "amex" | "unknown";

/** The digits of a card number as typed, without spaces or dashes. */
export function digits(value: string): string {
  return value.replace(/[\s-]/g, "");
}

/** The brand of a card number. */
export function cardBrand(number: string): CardBrand {
  switch (digits(number)[0]) {
    case "4":
      return "visa";
    case "5":
      return "mastercard";
    case "6":
      return "maestro";
    case "3":
      return "amex";
    default:
      return "unknown";
  }
}

/** Whether a card number passes the Luhn check and has its brand's length. */
export function validCardNumber(number: string): boolean {
  const d = digits(number);
  const length = cardBrand(d) === "amex" ? 15 : 16;
  if (!/^\d+$/.test(d) || d.length !== length) return false;
  let sum = 0;
  for (let i = 0; i < d.length; i++) {
    let n = Number(d[d.length - 1 - i]);
    if (i % 2 === 1) {
      n *= 2;
      if (n > 9) n -= 9;
    }
    sum += n;
  }
  return sum % 10 === 0;
}

/** Whether an expiry "MM/YY" is a real month not in the past, at the time now. */
export function validExpiry(value: string, now: Date = new Date()): boolean {
  const m = /^(\d{2})\/(\d{2})$/.exec(value.trim());
  if (!m) return false;
  const month = Number(m[1]);
  const year = 2000 + Number(m[2]);
  if (month < 1 || month > 12) return false;
  return year > now.getFullYear() || (year === now.getFullYear() && month >= now.getMonth() + 1);
}

/** Whether a CVC fits the brand: four digits for amex, three otherwise. */
export function validCVC(value: string, brand: CardBrand): boolean {
  return new RegExp(brand === "amex" ? "^\\d{4}$" : "^\\d{3}$").test(value.trim());
}

/** The card numbers the mock PSP's tests approve; every other number is declined. */
const approvedTestCards = new Set(["4111111111111111", "5555555555554444", "341925950237632"]);

/** The outcome the mock PSP is asked for, from the test card typed. */
export function testOutcome(number: string): "Authorized" | "Rejected" {
  return approvedTestCards.has(digits(number)) ? "Authorized" : "Rejected";
}

/** Formats typed expiry digits as MM/YY. */
export function formatExpiry(value: string): string {
  const d = value.replace(/\D/g, "").slice(0, 4);
  return d.length > 2 ? d.slice(0, 2) + "/" + d.slice(2) : d;
}
