package mockpsp

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/checkout-connect/go-connector/providers"
)

func eur(cents int64) providers.Money { return providers.Money{CentAmount: cents, CurrencyCode: "EUR"} }

func TestAuthorizationRules(t *testing.T) {
	m := New()
	ctx := context.Background()
	cases := []struct {
		name string
		req  providers.AuthorizeRequest
		want providers.Outcome
	}{
		{"card authorized", providers.AuthorizeRequest{IdempotencyKey: "a", Amount: eur(100), Method: providers.PaymentMethod{Type: "card", Data: map[string]string{DataPaymentOutcome: "Authorized"}}}, providers.Approved},
		{"card rejected", providers.AuthorizeRequest{IdempotencyKey: "b", Amount: eur(100), Method: providers.PaymentMethod{Type: "card", Data: map[string]string{DataPaymentOutcome: "Rejected"}}}, providers.Rejected},
		{"invoice", providers.AuthorizeRequest{IdempotencyKey: "c", Amount: eur(100), Method: providers.PaymentMethod{Type: "invoice"}}, providers.Approved},
		{"purchase order without number", providers.AuthorizeRequest{IdempotencyKey: "d", Amount: eur(100), Method: providers.PaymentMethod{Type: "purchaseorder"}}, providers.Rejected},
		{"recurring under the limit", providers.AuthorizeRequest{IdempotencyKey: "e", Amount: eur(9999), Recurring: true}, providers.Approved},
		{"recurring at the limit", providers.AuthorizeRequest{IdempotencyKey: "f", Amount: eur(10000), Recurring: true}, providers.Rejected},
	}
	for _, tc := range cases {
		r, err := m.Authorize(ctx, tc.req)
		require.NoError(t, err)
		assert.Equal(t, tc.want, r.Outcome, tc.name)
		assert.NotEmpty(t, r.PSPReference, tc.name)
	}
	stored, err := m.Authorize(ctx, providers.AuthorizeRequest{IdempotencyKey: "g", Amount: eur(1), Method: providers.PaymentMethod{Type: "card", Store: true}})
	require.NoError(t, err)
	assert.NotEmpty(t, stored.Token)
}

func TestMoneyMovesOnceAndNeverTooMuch(t *testing.T) {
	m := New()
	ctx := context.Background()
	auth, err := m.Authorize(ctx, providers.AuthorizeRequest{IdempotencyKey: "auth", Amount: eur(1000)})
	require.NoError(t, err)
	again, err := m.Authorize(ctx, providers.AuthorizeRequest{IdempotencyKey: "auth", Amount: eur(1000)})
	require.NoError(t, err)
	assert.Equal(t, auth.PSPReference, again.PSPReference, "a repeated key answers the first answer")

	op := func(f func(context.Context, providers.OperationRequest) (providers.Result, error), key string, cents int64) providers.Outcome {
		r, err := f(ctx, providers.OperationRequest{IdempotencyKey: key, PSPReference: auth.PSPReference, Amount: eur(cents)})
		require.NoError(t, err)
		return r.Outcome
	}
	assert.Equal(t, providers.Approved, op(m.Capture, "c1", 600))
	assert.Equal(t, providers.Approved, op(m.Capture, "c1", 600), "repeat: no second capture")
	assert.Equal(t, providers.Rejected, op(m.Capture, "c2", 401), "600 of 1000 taken")
	assert.Equal(t, providers.Approved, op(m.Capture, "c3", 400))
	assert.Equal(t, providers.Rejected, op(m.Cancel, "x1", 0), "captured in full: no cancellation")
	assert.Equal(t, providers.Approved, op(m.Refund, "r1", 1000))
	assert.Equal(t, providers.Rejected, op(m.Refund, "r2", 1), "all refunded")

	other, err := m.Authorize(ctx, providers.AuthorizeRequest{IdempotencyKey: "auth-2", Amount: eur(50)})
	require.NoError(t, err)
	cancel := func(key string) providers.Outcome {
		r, err := m.Cancel(ctx, providers.OperationRequest{IdempotencyKey: key, PSPReference: other.PSPReference})
		require.NoError(t, err)
		return r.Outcome
	}
	assert.Equal(t, providers.Approved, cancel("k1"))
	assert.Equal(t, providers.Rejected, cancel("k2"), "a second cancellation")

	m.SetAvailable(false)
	_, err = m.Capture(ctx, providers.OperationRequest{IdempotencyKey: "c9", PSPReference: auth.PSPReference, Amount: eur(1)})
	assert.ErrorIs(t, err, providers.ErrUnavailable)
	_, err = m.Check(ctx)
	assert.ErrorIs(t, err, providers.ErrUnavailable)
}

func TestLookupAndCancelAfterPartialCapture(t *testing.T) {
	m := New()
	ctx := context.Background()
	_, found, err := m.Lookup(ctx, "auth")
	require.NoError(t, err)
	assert.False(t, found, "a key never sent is not found")
	auth, err := m.Authorize(ctx, providers.AuthorizeRequest{IdempotencyKey: "auth", Amount: eur(1000)})
	require.NoError(t, err)
	seen, found, err := m.Lookup(ctx, "auth")
	require.NoError(t, err)
	assert.True(t, found)
	assert.Equal(t, auth, seen, "the lookup answers what the request was answered")

	op := func(f func(context.Context, providers.OperationRequest) (providers.Result, error), key string, cents int64) providers.Outcome {
		r, err := f(ctx, providers.OperationRequest{IdempotencyKey: key, PSPReference: auth.PSPReference, Amount: eur(cents)})
		require.NoError(t, err)
		return r.Outcome
	}
	assert.Equal(t, providers.Approved, op(m.Capture, "c1", 300))
	assert.Equal(t, providers.Approved, op(m.Cancel, "x1", 700), "the rest of a partly captured authorization is released")
	assert.Equal(t, providers.Rejected, op(m.Capture, "c2", 1), "nothing to capture after the release")

	m.SetAvailable(false)
	_, _, err = m.Lookup(ctx, "auth")
	assert.ErrorIs(t, err, providers.ErrUnavailable, "an unreachable provider tells nothing")
}
