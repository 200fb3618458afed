package handlers

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/checkout-connect/go-connector/commercetools"
	"github.com/checkout-connect/go-connector/internal/testenv"
	"github.com/checkout-connect/go-connector/providers"
	"github.com/checkout-connect/go-connector/providers/mockgiftcard"
)

// checkLedger is the ledger oracle, this project's definition of "nothing lost, nothing
// twice". It compares what the provider doubles did with what commercetools holds:
//   - every money movement a provider answered has exactly one commercetools transaction
//     with its interaction id, in the state of the answer (or still Initial when settled
//     is false), and no transaction succeeded without a provider approving it (but
//     chargebacks, which the provider makes on its own);
//   - no cart holds more than it costs (authorized and redeemed, less what was given
//     back), no payment captured more than it authorized nor refunded more than it
//     captured;
//   - every payment is attached to a cart;
//   - with settled, no transaction is left Initial or Pending.
//
// Its arithmetic is its own, not the engine's.
func checkLedger(t *testing.T, ct *testenv.Commercetools, settled bool, doubles ...*testenv.Calls) {
	t.Helper()
	ctx := context.Background()
	payments := allPayments(t, ct)
	answers := map[string]testenv.Answer{}
	for _, d := range doubles {
		for k, a := range d.Answers() {
			answers[k] = a
		}
	}
	byInteraction := map[string][]commercetools.Transaction{}
	byID := map[string]*commercetools.Payment{}
	for i := range payments {
		p := &payments[i]
		byID[p.ID] = p
		for _, tx := range p.Transactions {
			byInteraction[tx.InteractionID] = append(byInteraction[tx.InteractionID], tx)
		}
	}
	for key, a := range answers {
		txs := byInteraction[key]
		if !assert.Len(t, txs, 1, "provider %s of %s: one commercetools transaction", a.Method, key) {
			continue
		}
		want := map[providers.Outcome]string{providers.Approved: commercetools.StateSuccess,
			providers.Rejected: commercetools.StateFailure, providers.Received: commercetools.StatePending}[a.Result.Outcome]
		if settled || txs[0].State != commercetools.StateInitial {
			assert.Equal(t, want, txs[0].State, "provider %s of %s answered %s", a.Method, key, a.Result.Outcome)
		}
	}
	for key, txs := range byInteraction {
		for _, tx := range txs {
			if tx.State == commercetools.StateSuccess && tx.Type != commercetools.TransactionChargeback {
				a, ok := answers[key]
				assert.True(t, ok && a.Result.Outcome == providers.Approved, "transaction %s %s succeeded without the provider", tx.Type, key)
			}
			if settled {
				assert.NotContains(t, []string{commercetools.StateInitial, commercetools.StatePending}, tx.State,
					"transaction %s %s left open", tx.Type, key)
			}
		}
	}

	attached := map[string]bool{}
	carts, err := ct.Client.QueryCartsPage(ctx, commercetools.Query{Limit: 500})
	require.NoError(t, err)
	require.Less(t, len(carts.Results), 500, "the oracle reads one page of carts")
	for _, cart := range carts.Results {
		var net int64
		for _, id := range cart.PaymentIDs() {
			attached[id] = true
			if p := byID[id]; p != nil {
				net += netMoney(t, p)
			}
		}
		assert.LessOrEqual(t, net, cart.Total().CentAmount, "cart %s holds more than it costs", cart.ID)
	}
	for _, p := range payments {
		assert.True(t, attached[p.ID], "payment %s is attached to no cart", p.ID)
	}
}

// netMoney is what a payment took from the shopper and kept, checking on the way that it
// never captured or gave back more than it may.
func netMoney(t *testing.T, p *commercetools.Payment) int64 {
	t.Helper()
	sum := map[string]int64{}
	for _, tx := range p.Transactions {
		if tx.State == commercetools.StateSuccess {
			sum[tx.Type] += tx.Amount.CentAmount
		}
	}
	auth, charge := sum[commercetools.TransactionAuthorization], sum[commercetools.TransactionCharge]
	refund, cancel := sum[commercetools.TransactionRefund], sum[commercetools.TransactionCancelAuthorization]
	if p.PaymentMethodInfo.PaymentInterface == mockgiftcard.Name {
		assert.LessOrEqual(t, refund+cancel, charge, "gift-card payment %s gave back more than it redeemed", p.ID)
		return charge - refund - cancel
	}
	assert.LessOrEqual(t, charge+cancel, auth, "payment %s captured and released more than it authorized", p.ID)
	assert.LessOrEqual(t, refund, charge, "payment %s refunded more than it captured", p.ID)
	return auth - cancel - refund
}

// allPayments reads every payment of the project.
func allPayments(t *testing.T, ct *testenv.Commercetools) []commercetools.Payment {
	t.Helper()
	var out []commercetools.Payment
	for offset := 0; ; offset += 500 {
		page, err := ct.Client.QueryPaymentsPage(context.Background(), commercetools.Query{Limit: 500, Offset: offset})
		require.NoError(t, err)
		out = append(out, page.Results...)
		if len(page.Results) < 500 {
			return out
		}
	}
}
