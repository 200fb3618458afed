package payments

import (
	"github.com/checkout-connect/go-connector/commercetools"
)

// The ledger arithmetic: pure functions of what commercetools holds, with no I/O. The
// engine decides every money movement with them, against one version of a cart or a
// payment, and records the movement at that version.

// live reports whether a transaction still stands for money: it has not failed.
func live(tx *commercetools.Transaction) bool { return tx.State != commercetools.StateFailure }

// unsettled reports whether a transaction's outcome is still open.
func unsettled(tx *commercetools.Transaction) bool {
	return tx.State == commercetools.StateInitial || tx.State == commercetools.StatePending
}

// Reserved is how much of its cart a payment holds: its planned amount while it has an
// authorization or a charge that has not failed (attempts in flight included), less the
// refunds and cancellations that succeeded; nothing once every authorization and charge
// failed.
func Reserved(p *commercetools.Payment) int64 {
	holds := false
	var givenBack int64
	for i := range p.Transactions {
		tx := &p.Transactions[i]
		switch tx.Type {
		case commercetools.TransactionAuthorization, commercetools.TransactionCharge:
			holds = holds || live(tx)
		case commercetools.TransactionRefund, commercetools.TransactionCancelAuthorization:
			if tx.State == commercetools.StateSuccess {
				givenBack += tx.Amount.CentAmount
			}
		}
	}
	if !holds {
		return 0
	}
	return max(p.AmountPlanned.CentAmount-givenBack, 0)
}

// InFlight reports whether a payment has a transaction whose outcome is still open.
func InFlight(p *commercetools.Payment) bool {
	for i := range p.Transactions {
		if unsettled(&p.Transactions[i]) {
			return true
		}
	}
	return false
}

// Room is what a cart leaves to pay, counting every attempt that may still take money.
type Room struct {
	// Total is what the cart costs.
	Total commercetools.Money
	// Reserved sums what the cart's payments in its currency hold (Reserved).
	Reserved int64
	// Open is Total less Reserved, never below zero.
	Open commercetools.Money
	// InFlight lists the payments holding part of the cart whose outcome is still open.
	InFlight []*commercetools.Payment
}

// CartRoom computes a cart's room from its payments. Payments in another currency than
// the cart's do not count.
func CartRoom(cart *commercetools.Cart, payments []commercetools.Payment) Room {
	total := cart.Total()
	r := Room{Total: total}
	for i := range payments {
		p := &payments[i]
		if p.AmountPlanned.CurrencyCode != total.CurrencyCode {
			continue
		}
		held := Reserved(p)
		r.Reserved += held
		if held > 0 && InFlight(p) {
			r.InFlight = append(r.InFlight, p)
		}
	}
	r.Open = commercetools.Money{Type: "centPrecision", CurrencyCode: total.CurrencyCode,
		CentAmount: max(total.CentAmount-r.Reserved, 0), FractionDigits: total.FractionDigits}
	return r
}

// Ledger sums a PSP payment's transactions. Transactions that failed do not count;
// captures, refunds and cancellations still in flight count as made, because the money
// they ask for is spoken for.
type Ledger struct {
	// Authorized sums the successful authorizations.
	Authorized int64
	// AuthorizationRef is the PSP's reference of the (last) successful authorization.
	AuthorizationRef string
	// Captured sums the successful charges; Capturing also those in flight.
	Captured, Capturing int64
	// Refunding sums the refunds that succeeded or are in flight.
	Refunding int64
	// Cancelling sums the cancellations that succeeded or are in flight.
	Cancelling int64
}

// LedgerOf sums a payment's transactions.
func LedgerOf(p *commercetools.Payment) Ledger {
	var l Ledger
	for i := range p.Transactions {
		tx := &p.Transactions[i]
		if !live(tx) {
			continue
		}
		switch tx.Type {
		case commercetools.TransactionAuthorization:
			if tx.State == commercetools.StateSuccess {
				l.Authorized += tx.Amount.CentAmount
				l.AuthorizationRef = tx.InterfaceID
			}
		case commercetools.TransactionCharge:
			l.Capturing += tx.Amount.CentAmount
			if tx.State == commercetools.StateSuccess {
				l.Captured += tx.Amount.CentAmount
			}
		case commercetools.TransactionRefund:
			l.Refunding += tx.Amount.CentAmount
		case commercetools.TransactionCancelAuthorization:
			l.Cancelling += tx.Amount.CentAmount
		}
	}
	return l
}

// CaptureRoom is what may still be captured: authorized, not captured or being captured,
// not cancelled.
func (l Ledger) CaptureRoom() int64 { return max(l.Authorized-l.Capturing-l.Cancelling, 0) }

// RefundRoom is what may still be refunded: captured and not refunded or being refunded.
func (l Ledger) RefundRoom() int64 { return max(l.Captured-l.Refunding, 0) }

// GiftCardRoom is what of a gift-card payment may still be given back: redeemed (charged
// with success) and not refunded or cancelled, nor being.
func GiftCardRoom(p *commercetools.Payment) int64 {
	var charged, givenBack int64
	for i := range p.Transactions {
		tx := &p.Transactions[i]
		switch {
		case tx.Type == commercetools.TransactionCharge && tx.State == commercetools.StateSuccess:
			charged += tx.Amount.CentAmount
		case (tx.Type == commercetools.TransactionRefund || tx.Type == commercetools.TransactionCancelAuthorization) && live(tx):
			givenBack += tx.Amount.CentAmount
		}
	}
	return max(charged-givenBack, 0)
}
