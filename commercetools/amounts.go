package commercetools

import (
	"context"
	"sync"
)

// CartBalance is how much of a cart is paid.
type CartBalance struct {
	// Total is what the cart costs (its taxed gross total, else its total price).
	Total Money
	// Paid sums the planned amounts of the cart's payments that count as paid.
	Paid int64
	// Open is what remains to pay, never below zero, in the cart's currency.
	Open Money
}

// PaidInFull reports whether nothing remains to pay.
func (b CartBalance) PaidInFull() bool { return b.Open.CentAmount == 0 }

// countsAsPaid applies the payments SDK's rule: a payment counts with its planned amount
// when it has an Authorization or Charge that succeeded or is pending, unless it also has
// a CancelAuthorization or Refund that succeeded or is pending.
func countsAsPaid(p *Payment) bool {
	approved := p.HasTransaction(TransactionAuthorization, StateSuccess, StatePending) ||
		p.HasTransaction(TransactionCharge, StateSuccess, StatePending)
	reverted := p.HasTransaction(TransactionCancelAuthorization, StateSuccess, StatePending) ||
		p.HasTransaction(TransactionRefund, StateSuccess, StatePending)
	return approved && !reverted
}

// Balance computes a cart's balance from its payments. Payments in another currency than
// the cart's do not count.
func Balance(cart *Cart, payments []Payment) CartBalance {
	total := cart.Total()
	b := CartBalance{Total: total}
	for i := range payments {
		p := &payments[i]
		if p.AmountPlanned.CurrencyCode == total.CurrencyCode && countsAsPaid(p) {
			b.Paid += p.AmountPlanned.CentAmount
		}
	}
	b.Open = Money{
		Type:           "centPrecision",
		CurrencyCode:   total.CurrencyCode,
		CentAmount:     max(total.CentAmount-b.Paid, 0),
		FractionDigits: total.FractionDigits,
	}
	return b
}

// CartBalance computes the cart's balance, reading in parallel those of its payments that
// the cart does not hold expanded.
func (c *Client) CartBalance(ctx context.Context, cart *Cart) (CartBalance, error) {
	var refs []PaymentReference
	if cart.PaymentInfo != nil {
		refs = cart.PaymentInfo.Payments
	}
	payments := make([]Payment, len(refs))
	errs := make([]error, len(refs))
	var wg sync.WaitGroup
	for i, ref := range refs {
		if ref.Obj != nil {
			payments[i] = *ref.Obj
			continue
		}
		wg.Go(func() {
			p, err := c.GetPayment(ctx, ref.ID)
			if err != nil {
				errs[i] = err
				return
			}
			payments[i] = *p
		})
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return CartBalance{}, err
		}
	}
	return Balance(cart, payments), nil
}
