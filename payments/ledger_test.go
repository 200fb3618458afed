package payments

import (
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/checkout-connect/go-connector/commercetools"
)

func eur(cents int64) commercetools.Money {
	return commercetools.Money{CurrencyCode: "EUR", CentAmount: cents}
}

func tx(txType, state string, cents int64) commercetools.Transaction {
	return commercetools.Transaction{Type: txType, State: state, Amount: eur(cents)}
}

const (
	authz  = commercetools.TransactionAuthorization
	charge = commercetools.TransactionCharge
	refund = commercetools.TransactionRefund
	cancel = commercetools.TransactionCancelAuthorization

	initial = commercetools.StateInitial
	pending = commercetools.StatePending
	success = commercetools.StateSuccess
	failure = commercetools.StateFailure
)

func payment(planned int64, txs ...commercetools.Transaction) commercetools.Payment {
	return commercetools.Payment{AmountPlanned: eur(planned), Transactions: txs}
}

func TestReserved(t *testing.T) {
	cases := []struct {
		name string
		p    commercetools.Payment
		want int64
	}{
		{"no transaction", payment(5000), 0},
		{"authorization in flight", payment(5000, tx(authz, initial, 5000)), 5000},
		{"authorization pending", payment(5000, tx(authz, pending, 5000)), 5000},
		{"authorized", payment(5000, tx(authz, success, 5000)), 5000},
		{"declined", payment(5000, tx(authz, failure, 5000)), 0},
		{"gift card charge in flight", payment(2000, tx(charge, initial, 2000)), 2000},
		{"gift card declined", payment(2000, tx(charge, failure, 2000)), 0},
		{"partly refunded", payment(5000, tx(authz, success, 5000), tx(charge, success, 5000), tx(refund, success, 2000)), 3000},
		{"refund in flight still holds", payment(5000, tx(authz, success, 5000), tx(charge, success, 5000), tx(refund, initial, 2000)), 5000},
		{"cancelled", payment(5000, tx(authz, success, 5000), tx(cancel, success, 5000)), 0},
		{"reversed", payment(900, tx(authz, success, 900), tx(charge, success, 600), tx(refund, success, 600), tx(cancel, success, 300)), 0},
	}
	for _, tc := range cases {
		assert.Equal(t, tc.want, Reserved(&tc.p), tc.name)
	}
}

func TestCartRoom(t *testing.T) {
	cart := &commercetools.Cart{TotalPrice: eur(10000)}
	usd := payment(9000, tx(authz, success, 9000))
	usd.AmountPlanned.CurrencyCode = "USD"
	room := CartRoom(cart, []commercetools.Payment{
		payment(3000, tx(authz, success, 3000)),
		payment(2000, tx(charge, initial, 2000)),
		payment(4000, tx(authz, failure, 4000)),
		usd,
	})
	assert.Equal(t, int64(5000), room.Reserved, "success and in flight count; failures and other currencies do not")
	assert.Equal(t, int64(5000), room.Open.CentAmount)
	assert.Len(t, room.InFlight, 1)

	full := CartRoom(cart, []commercetools.Payment{payment(6000, tx(authz, success, 6000)), payment(6000, tx(authz, initial, 6000))})
	assert.Equal(t, int64(0), full.Open.CentAmount, "never below zero")
}

func TestLedgerRooms(t *testing.T) {
	cases := []struct {
		name            string
		p               commercetools.Payment
		capture, refund int64
	}{
		{"authorized", payment(5000, tx(authz, success, 5000)), 5000, 0},
		{"not authorized", payment(5000, tx(authz, initial, 5000)), 0, 0},
		{"partly captured", payment(5000, tx(authz, success, 5000), tx(charge, success, 3000)), 2000, 3000},
		{"capture in flight", payment(5000, tx(authz, success, 5000), tx(charge, initial, 3000)), 2000, 0},
		{"capture failed", payment(5000, tx(authz, success, 5000), tx(charge, failure, 3000)), 5000, 0},
		{"refund in flight", payment(5000, tx(authz, success, 5000), tx(charge, success, 5000), tx(refund, pending, 1000)), 0, 4000},
		{"rest released", payment(5000, tx(authz, success, 5000), tx(charge, success, 3000), tx(cancel, success, 2000)), 0, 3000},
	}
	for _, tc := range cases {
		l := LedgerOf(&tc.p)
		assert.Equal(t, tc.capture, l.CaptureRoom(), "%s: capture room", tc.name)
		assert.Equal(t, tc.refund, l.RefundRoom(), "%s: refund room", tc.name)
	}
	gift := payment(2000, tx(charge, success, 2000), tx(refund, success, 500), tx(cancel, initial, 500), tx(refund, failure, 1000))
	assert.Equal(t, int64(1000), GiftCardRoom(&gift))
}

func TestDecidePSP(t *testing.T) {
	amount := func(c int64) *commercetools.Money { m := eur(c); return &m }
	partly := payment(5000, tx(authz, success, 5000), tx(charge, success, 3000))
	cases := []struct {
		name string
		p    commercetools.Payment
		op   Operation
		want []string
		err  string
	}{
		{"capture", payment(5000, tx(authz, success, 5000)), Operation{Kind: Capture, Amount: amount(2000)}, []string{"Charge 2000 charge"}, ""},
		{"capture too much", partly, Operation{Kind: Capture, Amount: amount(2001)}, nil, CodeInvalidOperation},
		{"capture without amount", partly, Operation{Kind: Capture}, nil, CodeRequiredField},
		{"capture in another currency", partly, Operation{Kind: Capture, Amount: &commercetools.Money{CurrencyCode: "USD", CentAmount: 1}}, nil, CodeInvalidField},
		{"capture nothing", partly, Operation{Kind: Capture, Amount: amount(0)}, nil, CodeInvalidField},
		{"unauthorized", payment(5000, tx(authz, initial, 5000)), Operation{Kind: Capture, Amount: amount(1)}, nil, CodeInvalidOperation},
		{"refund", partly, Operation{Kind: Refund, Amount: amount(3000)}, []string{"Refund 3000 refund"}, ""},
		{"refund too much", partly, Operation{Kind: Refund, Amount: amount(3001)}, nil, CodeInvalidOperation},
		{"cancel releases the rest", partly, Operation{Kind: Cancel}, []string{"CancelAuthorization 2000 cancel"}, ""},
		{"cancel twice", payment(5000, tx(authz, success, 5000), tx(cancel, initial, 5000)), Operation{Kind: Cancel}, nil, CodeInvalidOperation},
		{"cancel a full capture", payment(5000, tx(authz, success, 5000), tx(charge, success, 5000)), Operation{Kind: Cancel}, nil, CodeInvalidOperation},
		{"reverse partly captured", partly, Operation{Kind: Reverse}, []string{"Refund 3000 refund", "CancelAuthorization 2000 cancel"}, ""},
		{"reverse authorized", payment(5000, tx(authz, success, 5000)), Operation{Kind: Reverse}, []string{"CancelAuthorization 5000 cancel"}, ""},
		{"reverse captured", payment(5000, tx(authz, success, 5000), tx(charge, success, 5000)), Operation{Kind: Reverse}, []string{"Refund 5000 refund"}, ""},
		{"reverse nothing", payment(5000, tx(authz, success, 5000), tx(cancel, success, 5000)), Operation{Kind: Reverse}, nil, CodeInvalidOperation},
		{"unknown", partly, Operation{Kind: "explode"}, nil, CodeInvalidField},
	}
	for _, tc := range cases {
		plans, err := decidePSP(&tc.p, tc.op)
		if tc.err != "" {
			var e *Error
			if assert.ErrorAs(t, err, &e, tc.name) {
				assert.Equal(t, tc.err, e.Code, tc.name)
			}
			continue
		}
		assert.NoError(t, err, tc.name)
		var got []string
		for _, p := range plans {
			got = append(got, p.txType+" "+itoa(p.amount.CentAmount)+" "+p.role)
		}
		assert.Equal(t, tc.want, got, tc.name)
	}
}

func TestDecideGiftCard(t *testing.T) {
	amount := func(c int64) *commercetools.Money { m := eur(c); return &m }
	redeemed := payment(2000, tx(charge, success, 2000), tx(refund, success, 500))
	for _, tc := range []struct {
		op   Operation
		want string
	}{
		{Operation{Kind: Capture, Amount: amount(1)}, "error"},
		{Operation{Kind: Refund, Amount: amount(1500)}, "Refund 1500"},
		{Operation{Kind: Refund, Amount: amount(1501)}, "error"},
		{Operation{Kind: Cancel}, "CancelAuthorization 1500"},
		{Operation{Kind: Reverse}, "Refund 1500"},
	} {
		plans, err := decideGiftCard(&redeemed, tc.op)
		got := "error"
		if err == nil {
			got = plans[0].txType + " " + itoa(plans[0].amount.CentAmount)
		}
		assert.Equal(t, tc.want, got, tc.op.Kind)
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
