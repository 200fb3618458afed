package stripe

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestAmountsRoundTripExactly(t *testing.T) {
	for _, tc := range []struct {
		currency      string
		minor, stripe int64
	}{
		{"EUR", 1999, 1999},
		{"JPY", 1500, 1500},                         // zero-decimal in ISO 4217 and at Stripe
		{"ISK", 1000, 100000},                       // zero-decimal in ISO 4217, two decimals at Stripe
		{"KWD", 12345, 12345},                       // three decimals
		{"eur", 1, 1},                               // codes in any case
		{"EUR", 9007199254740993, 9007199254740993}, // beyond float64's exact integers
	} {
		assert.Equal(t, tc.stripe, toStripe(tc.minor, tc.currency), tc.currency)
		back, err := fromStripe(tc.stripe, tc.currency)
		assert.NoError(t, err, tc.currency)
		assert.Equal(t, tc.minor, back, tc.currency)
	}
	_, err := fromStripe(150, "ISK")
	assert.Error(t, err, "an ISK amount Stripe could not have charged is refused, not rounded")
}
