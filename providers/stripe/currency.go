package stripe

import (
	"fmt"
	"strings"
)

// Stripe counts amounts in a currency's smallest unit, which is the ISO 4217 minor unit
// commercetools counts in, but for a few currencies. One table holds every exponent the
// adapter converts with.

// isoExponents are the ISO 4217 exponents that differ from 2.
var isoExponents = map[string]int{
	"BIF": 0, "CLP": 0, "DJF": 0, "GNF": 0, "ISK": 0, "JPY": 0, "KMF": 0, "KRW": 0, "PYG": 0,
	"RWF": 0, "UGX": 0, "VND": 0, "VUV": 0, "XAF": 0, "XOF": 0, "XPF": 0,
	"BHD": 3, "JOD": 3, "KWD": 3, "OMR": 3, "TND": 3,
}

// stripeExponents are Stripe's exponents where they differ from ISO 4217: Stripe takes
// ISK and UGX with two decimals, in multiples of 100.
var stripeExponents = map[string]int{"ISK": 2, "UGX": 2}

func exponent(table map[string]int, currency string, fallback int) int {
	if e, ok := table[strings.ToUpper(currency)]; ok {
		return e
	}
	return fallback
}

func isoExponent(currency string) int { return exponent(isoExponents, currency, 2) }

func stripeExponent(currency string) int {
	return exponent(stripeExponents, currency, isoExponent(currency))
}

// toStripe converts ISO minor units to Stripe's.
func toStripe(minor int64, currency string) int64 {
	for range stripeExponent(currency) - isoExponent(currency) {
		minor *= 10
	}
	return minor
}

// fromStripe converts Stripe's units to ISO minor units; an amount that does not divide
// exactly is refused rather than rounded.
func fromStripe(units int64, currency string) (int64, error) {
	for range stripeExponent(currency) - isoExponent(currency) {
		if units%10 != 0 {
			return 0, fmt.Errorf("stripe: %d %s is not a whole amount of %s", units, currency, currency)
		}
		units /= 10
	}
	return units, nil
}
