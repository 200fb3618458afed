package mockpsp_test

import (
	"context"
	"fmt"
	"runtime"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/checkout-connect/go-connector/internal/testenv"
	"github.com/checkout-connect/go-connector/providers"
	"github.com/checkout-connect/go-connector/providers/mockpsp"
)

// The mock remembers up to MemorySize payments, answers and hosted-page payments, and
// publishes events from a bounded outbox. What it keeps of a request is its own copy: a
// string read from a commercetools answer would keep that whole answer, and the memory
// would be bounded by count but not by size.
func TestKeptPaymentsHoldNoAnswers(t *testing.T) {
	m := mockpsp.New()
	m.SetPageURL("http://127.0.0.1:1/psp")
	ctx := context.Background()
	const n, size = 100, 256 << 10
	before := testenv.LiveHeap()
	for i := range n {
		w := testenv.SharedStrings(size, fmt.Sprintf("pay_%d_auth", i), fmt.Sprintf("payment-%d", i), "EUR",
			fmt.Sprintf("op_%d_capture", i), fmt.Sprintf("pay_%d_offsite", i), "https://shop.example/return")
		key, ref, currency, captureKey, offsiteKey, returnURL := w[0], w[1], w[2], w[3], w[4], w[5]
		card, err := m.Authorize(ctx, providers.AuthorizeRequest{IdempotencyKey: key, Reference: ref,
			Amount: providers.Money{CentAmount: 1000, CurrencyCode: currency}, Method: providers.PaymentMethod{Type: "card"}})
		require.NoError(t, err)
		require.Equal(t, providers.Approved, card.Outcome)
		// The engine captures with the authorization's reference as read back from commercetools.
		authRef := testenv.SharedStrings(size, card.PSPReference)[0]
		captured, err := m.Capture(ctx, providers.OperationRequest{IdempotencyKey: captureKey, PSPReference: authRef,
			Amount: providers.Money{CentAmount: 400, CurrencyCode: currency}})
		require.NoError(t, err)
		require.Equal(t, providers.Approved, captured.Outcome)
		offsite, err := m.Authorize(ctx, providers.AuthorizeRequest{IdempotencyKey: offsiteKey, Reference: ref, ReturnURL: returnURL,
			Amount: providers.Money{CentAmount: 1000, CurrencyCode: currency}, Method: providers.PaymentMethod{Type: mockpsp.OffsiteMethod}})
		require.NoError(t, err)
		require.Equal(t, providers.Received, offsite.Outcome)
	}
	grown := int64(testenv.LiveHeap()) - int64(before) // the heap may also have shrunk
	runtime.KeepAlive(m)
	assert.Less(t, grown, int64(n*size/10), "the mock's memory of %d payments holds the %d KB answers their strings came from", n, size>>10)
}
