package stripe

import (
	"context"
	"os"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/checkout-connect/go-connector/providers"
)

// stripe-mock validates every request against Stripe's OpenAPI description and answers
// with fixtures; it keeps no state. The test command starts it and sets STRIPE_MOCK_URL.
func TestRequestsStripeMockAccepts(t *testing.T) {
	base := os.Getenv("STRIPE_MOCK_URL")
	if base == "" {
		t.Skip("STRIPE_MOCK_URL is not set; scripts/test starts stripe-mock")
	}
	p, err := Open(func(k string) string {
		return map[string]string{"STRIPE_SECRET_KEY": "sk_test_123", "STRIPE_WEBHOOK_SECRET": "whsec_1", "STRIPE_API_BASE": base}[k]
	})
	require.NoError(t, err)
	ctx := context.Background()
	eur := providers.Money{CentAmount: 2000, CurrencyCode: "EUR"}
	auth, err := p.Authorize(ctx, providers.AuthorizeRequest{IdempotencyKey: "pay_x_1_2_auth", Reference: "ct-1", Amount: eur,
		Method: providers.PaymentMethod{Type: "card", Data: map[string]string{DataPaymentMethodID: "pm_card_visa"}}, ReturnURL: "https://processor.example/payments/return"})
	require.NoError(t, err, "stripe-mock accepts the PaymentIntent")
	assert.NotEmpty(t, auth.PSPReference)
	_, err = p.Authorize(ctx, providers.AuthorizeRequest{IdempotencyKey: "rec_x_1_2_auth", Reference: "ct-2", Amount: providers.Money{CentAmount: 1500, CurrencyCode: "JPY"},
		Method: providers.PaymentMethod{Type: "card", StoredToken: "pm_card_visa"}, Recurring: true})
	require.NoError(t, err, "an off-session payment with a stored method")
	for name, call := range map[string]func(context.Context, providers.OperationRequest) (providers.Result, error){
		"capture": p.Capture, "cancel": p.Cancel, "refund": p.Refund,
	} {
		r, err := call(ctx, providers.OperationRequest{IdempotencyKey: "op_x_1_2_" + name, PSPReference: "pi_123", Amount: providers.Money{CentAmount: 500, CurrencyCode: "EUR"}})
		require.NoError(t, err, name)
		assert.NotEmpty(t, r.PSPReference, name)
	}
	_, _, err = p.Lookup(ctx, "pay_x_1_2_auth")
	assert.NoError(t, err, "the search by metadata")
	_, err = p.Check(ctx)
	assert.NoError(t, err, "the balance")
}
