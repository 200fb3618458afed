// The gift-card enabler, as its own small module.
export { GiftCardEnabler as Enabler, GiftCardComponent, formatMoney } from "./giftcard.ts";
