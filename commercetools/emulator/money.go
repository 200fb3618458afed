package emulator

import (
	"math"
	"regexp"
)

// moneyDraft is money as drafts send it.
type moneyDraft struct {
	CurrencyCode   string `json:"currencyCode"`
	CentAmount     *int64 `json:"centAmount"`
	FractionDigits *int   `json:"fractionDigits"`
}

var currencyPattern = regexp.MustCompile(`^[A-Z]{3}$`)

// fractionDigits of the currencies that do not use two.
var fractionDigits = map[string]int{
	"JPY": 0, "KRW": 0, "CLP": 0, "ISK": 0, "VND": 0, "UGX": 0, "XAF": 0, "XOF": 0, "PYG": 0, "RWF": 0,
	"BHD": 3, "KWD": 3, "OMR": 3, "JOD": 3, "TND": 3, "IQD": 3, "LYD": 3,
}

// toMoney validates a money draft at field and returns it as stored.
func toMoney(field string, d *moneyDraft) (money, *apiError) {
	if d == nil {
		return money{}, requiredField(field)
	}
	if d.CentAmount == nil {
		return money{}, requiredField(field + ".centAmount")
	}
	if !currencyPattern.MatchString(d.CurrencyCode) {
		return money{}, &apiError{status: 400, code: "InvalidField", message: "The value '" + d.CurrencyCode + "' is not valid for field '" + field + ".currencyCode'.",
			extra: map[string]any{"field": field + ".currencyCode", "invalidValue": d.CurrencyCode}}
	}
	digits, ok := fractionDigits[d.CurrencyCode]
	if !ok {
		digits = 2
	}
	if d.FractionDigits != nil {
		digits = *d.FractionDigits
	}
	return money{Type: "centPrecision", CurrencyCode: d.CurrencyCode, CentAmount: *d.CentAmount, FractionDigits: digits}, nil
}

func (m money) times(n int64) money {
	m.CentAmount *= n
	return m
}

func (m money) plus(cents int64) money {
	m.CentAmount += cents
	return m
}

// tax is the tax on a net amount at rate, rounded half to even as commercetools does by
// default.
func tax(net int64, rate float64) int64 {
	return int64(math.RoundToEven(float64(net) * rate))
}
