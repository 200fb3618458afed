package mockgiftcard_test

import (
	"context"
	"fmt"
	"runtime"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/checkout-connect/go-connector/internal/testenv"
	"github.com/checkout-connect/go-connector/providers"
	"github.com/checkout-connect/go-connector/providers/mockgiftcard"
)

// The mock remembers up to MemorySize redemptions, balances and answers. What it keeps
// of a request is its own copy: a string read from a commercetools answer would keep that
// whole answer, and the memory would be bounded by count but not by size.
func TestKeptRedemptionsHoldNoAnswers(t *testing.T) {
	p := mockgiftcard.New("EUR")
	ctx := context.Background()
	const n, size = 100, 256 << 10
	before := testenv.LiveHeap()
	for i := range n {
		w := testenv.SharedStrings(size, fmt.Sprintf("gc_%d_redeem", i), fmt.Sprintf("cart-%d", i), "Valid-1000-EUR", "EUR",
			fmt.Sprintf("gc_%d_rollback", i))
		key, cartID, code, currency, rollbackKey := w[0], w[1], w[2], w[3], w[4]
		redeemed, err := p.Redeem(ctx, providers.RedeemRequest{IdempotencyKey: key, CartID: cartID, Code: code,
			Amount: providers.Money{CentAmount: 300, CurrencyCode: currency}})
		require.NoError(t, err)
		require.Equal(t, providers.Approved, redeemed.Outcome)
		rolledBack, err := p.Rollback(ctx, providers.RollbackRequest{IdempotencyKey: rollbackKey, RedemptionID: redeemed.PSPReference,
			Amount: providers.Money{CentAmount: 100, CurrencyCode: currency}})
		require.NoError(t, err)
		require.Equal(t, providers.Approved, rolledBack.Outcome)
	}
	grown := int64(testenv.LiveHeap()) - int64(before) // the heap may also have shrunk
	runtime.KeepAlive(p)
	assert.Less(t, grown, int64(n*size/10), "the mock's memory of %d redemptions holds the %d KB answers their strings came from", n, size>>10)
}
