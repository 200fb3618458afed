package mockgiftcard

import (
	"context"
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/checkout-connect/go-connector/providers"
)

func TestBalanceOfTestCodes(t *testing.T) {
	p := New("EUR")
	cases := map[string]string{
		"Valid-1000-EUR": "", "Valid-00123-EUR": "", "Valid-0-EUR": providers.GiftCardZeroBalance,
		"Valid-1000-USD": providers.GiftCardCurrencyNotMatch, "Expired": providers.GiftCardExpired,
		"GenericError": providers.GiftCardGenericError, "NotFound": providers.GiftCardNotFound,
		"Valid-1000": providers.GiftCardGenericError, "valid-1000-EUR": providers.GiftCardGenericError, "": providers.GiftCardGenericError,
	}
	for code, state := range cases {
		_, err := p.Balance(context.Background(), providers.BalanceRequest{Code: code, Currency: "EUR", CartID: "cart-1"})
		if state == "" {
			assert.NoError(t, err, code)
			continue
		}
		var refusal *providers.GiftCardRefusal
		require.True(t, errors.As(err, &refusal), code)
		assert.Equal(t, state, refusal.State, code)
	}
	m, err := p.Balance(context.Background(), providers.BalanceRequest{Code: "Valid-00123-EUR", Currency: "EUR", CartID: "cart-1"})
	require.NoError(t, err)
	assert.Equal(t, int64(123), m.CentAmount)
	_, err = p.Balance(context.Background(), providers.BalanceRequest{Code: "Valid-1000-EUR", Currency: "USD", CartID: "cart-1"})
	var refusal *providers.GiftCardRefusal
	require.ErrorAs(t, err, &refusal, "a card cannot pay in another currency")
	assert.Equal(t, providers.GiftCardCurrencyNotMatch, refusal.State)
}

func TestRedeemAndRollbackKeepTheBalance(t *testing.T) {
	p := New("EUR")
	ctx := context.Background()
	eur := func(c int64) providers.Money { return providers.Money{CentAmount: c, CurrencyCode: "EUR"} }
	r, err := p.Redeem(ctx, providers.RedeemRequest{IdempotencyKey: "k1", CartID: "cart-1", Code: "Valid-1000-EUR", Amount: eur(700)})
	require.NoError(t, err)
	require.Equal(t, providers.Approved, r.Outcome)
	again, err := p.Redeem(ctx, providers.RedeemRequest{IdempotencyKey: "k1", CartID: "cart-1", Code: "Valid-1000-EUR", Amount: eur(700)})
	require.NoError(t, err)
	assert.Equal(t, r, again, "same key, same answer, spent once")
	over, err := p.Redeem(ctx, providers.RedeemRequest{IdempotencyKey: "k2", CartID: "cart-1", Code: "Valid-1000-EUR", Amount: eur(301)})
	require.NoError(t, err)
	assert.Equal(t, providers.Rejected, over.Outcome, "300 left")
	expired, err := p.Redeem(ctx, providers.RedeemRequest{IdempotencyKey: "k3", Code: "Valid-00500-EUR", Amount: eur(1)})
	require.NoError(t, err)
	assert.Equal(t, providers.GiftCardExpired, expired.Code)

	back, err := p.Rollback(ctx, providers.RollbackRequest{IdempotencyKey: "r1", RedemptionID: r.PSPReference, Amount: eur(700)})
	require.NoError(t, err)
	assert.Equal(t, providers.Approved, back.Outcome)
	m, err := p.Balance(ctx, providers.BalanceRequest{Code: "Valid-1000-EUR", Currency: "EUR", CartID: "cart-1"})
	require.NoError(t, err)
	assert.Equal(t, int64(1000), m.CentAmount)
	twice, err := p.Rollback(ctx, providers.RollbackRequest{IdempotencyKey: "r2", RedemptionID: r.PSPReference, Amount: eur(1)})
	require.NoError(t, err)
	assert.Equal(t, providers.Rejected, twice.Outcome, "nothing left to give back")

	spent, err := p.Redeem(ctx, providers.RedeemRequest{IdempotencyKey: "k4", CartID: "cart-1", Code: "Valid-1000-EUR", Amount: eur(1000)})
	require.NoError(t, err)
	require.Equal(t, providers.Approved, spent.Outcome)
	_, err = p.Balance(ctx, providers.BalanceRequest{Code: "Valid-1000-EUR", Currency: "EUR", CartID: "cart-1"})
	var refusal *providers.GiftCardRefusal
	require.ErrorAs(t, err, &refusal)
	assert.Equal(t, providers.GiftCardZeroBalance, refusal.State, "a spent card has no balance")
	none, err := p.Redeem(ctx, providers.RedeemRequest{IdempotencyKey: "k5", CartID: "cart-1", Code: "Valid-1000-EUR", Amount: eur(1)})
	require.NoError(t, err)
	assert.Equal(t, providers.GiftCardZeroBalance, none.Code)
	fresh, err := p.Balance(ctx, providers.BalanceRequest{Code: "Valid-1000-EUR", Currency: "EUR", CartID: "cart-2"})
	require.NoError(t, err)
	assert.Equal(t, int64(1000), fresh.CentAmount, "the demo code is whole on another cart")

	p.SetAvailable(false)
	_, err = p.Balance(ctx, providers.BalanceRequest{Code: "Valid-1000-EUR", Currency: "EUR", CartID: "cart-1"})
	assert.ErrorIs(t, err, providers.ErrUnavailable)
}
