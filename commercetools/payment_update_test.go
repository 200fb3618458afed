package commercetools

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func eur(cents int64) Money { return Money{CurrencyCode: "EUR", CentAmount: cents} }

func names(actions []UpdateAction) []string {
	out := make([]string, 0, len(actions))
	for _, a := range actions {
		out = append(out, a["action"].(string))
	}
	return out
}

func TestPaymentActions(t *testing.T) {
	now := time.Date(2026, 11, 21, 10, 0, 0, 0, time.UTC)
	base := Payment{
		ID: "p", Version: 3, AmountPlanned: eur(1000),
		Transactions: []Transaction{
			{ID: "t-auth", Type: TransactionAuthorization, Amount: eur(1000), InteractionID: "auth-1", State: StateInitial},
			{ID: "t-charge", Type: TransactionCharge, Amount: eur(400), InteractionID: "cap-1", State: StateSuccess},
		},
	}
	cases := []struct {
		name    string
		payment func(p *Payment)
		change  PaymentChange
		want    []string
		wantErr bool
	}{
		{name: "nothing to do", change: PaymentChange{}, want: []string{}},
		{name: "interface id and method when unset", change: PaymentChange{InterfaceID: "psp", Method: "card"},
			want: []string{"setInterfaceId", "setMethodInfoMethod"}},
		{name: "interface id kept when set", payment: func(p *Payment) { p.InterfaceID = "old" }, change: PaymentChange{InterfaceID: "psp"}, want: []string{}},
		{name: "settle the initial authorization", change: PaymentChange{Transaction: &TransactionChange{Type: TransactionAuthorization, InteractionID: "auth-1", State: StateSuccess}},
			want: []string{"changeTransactionState"}},
		{name: "same interaction id of another type is another transaction", change: PaymentChange{Transaction: &TransactionChange{Type: TransactionRefund, Amount: eur(100), InteractionID: "auth-1", State: StateSuccess}},
			want: []string{"addTransaction"}},
		{name: "already in that state", change: PaymentChange{Transaction: &TransactionChange{Type: TransactionCharge, InteractionID: "cap-1", State: StateSuccess}},
			want: []string{}},
		{name: "success never becomes failure", change: PaymentChange{Transaction: &TransactionChange{Type: TransactionCharge, InteractionID: "cap-1", State: StateFailure}},
			wantErr: true},
		{name: "match by id and add the interface id", change: PaymentChange{Transaction: &TransactionChange{ID: "t-auth", InterfaceID: "psp-tx", State: StatePending}},
			want: []string{"changeTransactionState", "setTransactionInterfaceId"}},
		{name: "status code only when different", payment: func(p *Payment) { p.PaymentStatus.InterfaceCode = "AUTHORISED" },
			change: PaymentChange{StatusInterfaceCode: "AUTHORISED", StatusInterfaceText: "ok"}, want: []string{"setStatusInterfaceText"}},
		{name: "custom type with its fields", change: PaymentChange{CustomType: &CustomFieldsDraft{Type: ResourceIdentifier{TypeID: "type", Key: "po"}}, CustomFields: map[string]any{"poNumber": "PO-1"}},
			want: []string{"setCustomType"}},
		{name: "custom field only when different", payment: func(p *Payment) {
			p.Custom = &CustomFields{Type: Reference{TypeID: "type", ID: "type-1"}, Fields: map[string]json.RawMessage{"poNumber": json.RawMessage(`"PO-1"`)}}
		}, change: PaymentChange{CustomType: &CustomFieldsDraft{Type: ResourceIdentifier{TypeID: "type", Key: "po"}}, CustomFields: map[string]any{"poNumber": "PO-1", "memo": "m"}},
			want: []string{"setCustomField"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			p := base
			p.Transactions = append([]Transaction(nil), base.Transactions...)
			if tc.payment != nil {
				tc.payment(&p)
			}
			actions, err := PaymentActions(&p, tc.change, now)
			if tc.wantErr {
				var transition *ErrTransition
				require.ErrorAs(t, err, &transition)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tc.want, names(actions))
		})
	}
}

func TestTransitionAllowed(t *testing.T) {
	allowed := [][2]string{{StateInitial, StatePending}, {StateInitial, StateSuccess}, {StateInitial, StateFailure}, {StatePending, StateSuccess}, {StatePending, StateFailure}}
	for _, from := range []string{StateInitial, StatePending, StateSuccess, StateFailure} {
		for _, to := range []string{StateInitial, StatePending, StateSuccess, StateFailure} {
			want := false
			for _, a := range allowed {
				want = want || (a[0] == from && a[1] == to)
			}
			assert.Equal(t, want, TransitionAllowed(from, to), "%s -> %s", from, to)
		}
	}
}

func TestBalanceFollowsTheSDKFormula(t *testing.T) {
	tx := func(typ, state string) Transaction { return Transaction{Type: typ, State: state, Amount: eur(0)} }
	cart := &Cart{TotalPrice: eur(4000), TaxedPrice: &TaxedPrice{TotalNet: eur(4200), TotalGross: eur(5000)}}
	payments := []Payment{
		{AmountPlanned: eur(2000), Transactions: []Transaction{tx(TransactionAuthorization, StateSuccess)}},
		{AmountPlanned: eur(1000), Transactions: []Transaction{tx(TransactionCharge, StatePending)}},
		{AmountPlanned: eur(700), Transactions: []Transaction{tx(TransactionCharge, StateSuccess), tx(TransactionRefund, StatePending)}},
		{AmountPlanned: eur(300), Transactions: []Transaction{tx(TransactionAuthorization, StateFailure)}},
		{AmountPlanned: eur(300), Transactions: []Transaction{tx(TransactionAuthorization, StateInitial)}},
		{AmountPlanned: Money{CurrencyCode: "USD", CentAmount: 900}, Transactions: []Transaction{tx(TransactionCharge, StateSuccess)}},
	}
	b := Balance(cart, payments)
	assert.Equal(t, int64(5000), b.Total.CentAmount, "taxed gross total")
	assert.Equal(t, int64(3000), b.Paid)
	assert.Equal(t, int64(2000), b.Open.CentAmount)
	assert.False(t, b.PaidInFull())

	untaxed := Balance(&Cart{TotalPrice: eur(2500)}, payments[:2])
	assert.Equal(t, int64(0), untaxed.Open.CentAmount, "never below zero")
	assert.True(t, untaxed.PaidInFull())
}

func TestPredicates(t *testing.T) {
	assert.Equal(t, `key = "a\"b\\c"`, Eq("key", `a"b\c`))
	assert.Equal(t, `customer(id = "c") and paymentInterface = "p"`, And(Within("customer", Eq("id", "c")), Eq("paymentInterface", "p")))
}

func TestTokenLifetimeKeepsAMargin(t *testing.T) {
	assert.Equal(t, 172500*time.Second, tokenLifetime(172800))
	assert.Equal(t, 100*time.Second, tokenLifetime(200), "short tokens are used for half their life")
}
