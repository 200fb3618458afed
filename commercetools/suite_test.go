package commercetools_test

import (
	"context"
	"testing"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/checkout-connect/go-connector/commercetools"
)

// runResourceSuite exercises carts, payments, orders and custom types through the client.
// It runs against the emulator and, for the cross-check, against another commercetools
// emulator, so it uses only what both serve.
func runResourceSuite(t *testing.T, c *commercetools.Client) {
	ctx := context.Background()

	t.Run("cart", func(t *testing.T) {
		cart := newCart(t, c, 5000, "")
		got, err := c.GetCart(ctx, cart.ID)
		require.NoError(t, err)
		assert.Equal(t, cart.ID, got.ID)
		assert.Equal(t, int64(5000), got.Total().CentAmount)
		assert.Equal(t, "EUR", got.Total().CurrencyCode)
		assert.Empty(t, got.PaymentIDs())

		_, err = c.GetCart(ctx, uuid.NewString())
		assert.True(t, commercetools.IsNotFound(err), "%v", err)
	})

	t.Run("payment update sends only what is missing", func(t *testing.T) {
		p, _, err := c.CreatePayment(ctx, commercetools.PaymentDraft{AmountPlanned: eur(3000)})
		require.NoError(t, err)
		change := commercetools.PaymentChange{
			InterfaceID: "psp-123", Method: "card",
			Transaction: &commercetools.TransactionChange{Type: commercetools.TransactionAuthorization, Amount: eur(3000),
				InteractionID: "psp-123", State: commercetools.StateSuccess},
		}
		updated, err := c.UpdatePayment(ctx, p.ID, change)
		require.NoError(t, err)
		assert.Equal(t, "psp-123", updated.InterfaceID)
		assert.Equal(t, "card", updated.PaymentMethodInfo.Method)
		require.Len(t, updated.Transactions, 1)
		assert.Equal(t, commercetools.StateSuccess, updated.Transactions[0].State)
		assert.Equal(t, int64(3000), updated.Transactions[0].Amount.CentAmount)

		same, err := c.UpdatePayment(ctx, p.ID, change)
		require.NoError(t, err)
		assert.Equal(t, updated.Version, same.Version, "applying the same change again writes nothing")
		assert.Len(t, same.Transactions, 1)

		charge := commercetools.TransactionChange{Type: commercetools.TransactionCharge, Amount: eur(1000), InteractionID: "cap-1", State: commercetools.StatePending}
		charged, err := c.UpdatePayment(ctx, p.ID, commercetools.PaymentChange{Transaction: &charge})
		require.NoError(t, err)
		require.Len(t, charged.Transactions, 2)
		charge.State = commercetools.StateSuccess
		settled, err := c.UpdatePayment(ctx, p.ID, commercetools.PaymentChange{Transaction: &charge})
		require.NoError(t, err)
		assert.Equal(t, commercetools.StateSuccess, settled.Transactions[1].State)

		charge.State = commercetools.StatePending
		_, err = c.UpdatePayment(ctx, p.ID, commercetools.PaymentChange{Transaction: &charge})
		var transition *commercetools.ErrTransition
		assert.ErrorAs(t, err, &transition, "Success never goes back to Pending")
	})

	t.Run("payment attached to a cart once", func(t *testing.T) {
		cart := newCart(t, c, 4000, "")
		p, _, err := c.CreatePayment(ctx, commercetools.PaymentDraft{AmountPlanned: eur(4000)})
		require.NoError(t, err)
		withPayment, err := c.AddPayment(ctx, cart, p.ID)
		require.NoError(t, err)
		assert.Equal(t, []string{p.ID}, withPayment.PaymentIDs())

		again, err := c.AddPayment(ctx, cart, p.ID)
		require.NoError(t, err, "a stale cart version and a payment already there is no error")
		assert.Equal(t, []string{p.ID}, again.PaymentIDs())

		balance, err := c.CartBalance(ctx, again)
		require.NoError(t, err)
		assert.Equal(t, int64(4000), balance.Open.CentAmount, "a payment without transactions pays nothing")

		_, err = c.UpdatePayment(ctx, p.ID, commercetools.PaymentChange{Transaction: &commercetools.TransactionChange{
			Type: commercetools.TransactionAuthorization, Amount: eur(4000), InteractionID: "a-1", State: commercetools.StateSuccess}})
		require.NoError(t, err)
		balance, err = c.CartBalance(ctx, again)
		require.NoError(t, err)
		assert.True(t, balance.PaidInFull())
		assert.Equal(t, int64(4000), balance.Paid)
	})

	t.Run("payments found by predicate", func(t *testing.T) {
		ref := "psp-" + uuid.NewString()
		p, _, err := c.CreatePayment(ctx, commercetools.PaymentDraft{AmountPlanned: eur(10)})
		require.NoError(t, err)
		_, err = c.UpdatePayment(ctx, p.ID, commercetools.PaymentChange{InterfaceID: ref})
		require.NoError(t, err)
		page, err := c.QueryPayments(ctx, commercetools.Eq("interfaceId", ref))
		require.NoError(t, err)
		require.Len(t, page.Results, 1)
		assert.Equal(t, p.ID, page.Results[0].ID)
	})

	t.Run("custom type created and extended", func(t *testing.T) {
		key := "type-" + uuid.NewString()[:8]
		_, err := c.GetTypeByKey(ctx, key)
		assert.True(t, commercetools.IsNotFound(err))
		poNumber := commercetools.FieldDefinition{Type: commercetools.FieldType{Name: "String"}, Name: "poNumber",
			Label: map[string]string{"en": "PO number"}, Required: false}
		created, err := c.CreateType(ctx, commercetools.TypeDraft{Key: key, Name: map[string]string{"en": "Purchase order"},
			ResourceTypeIDs: []string{"payment"}, FieldDefinitions: []commercetools.FieldDefinition{poNumber}})
		require.NoError(t, err)
		memo := poNumber
		memo.Name = "memo"
		extended, err := c.AddFieldDefinitions(ctx, created, []commercetools.FieldDefinition{poNumber, memo})
		require.NoError(t, err)
		assert.Len(t, extended.FieldDefinitions, 2)
		same, err := c.AddFieldDefinitions(ctx, extended, []commercetools.FieldDefinition{poNumber, memo})
		require.NoError(t, err)
		assert.Equal(t, extended.Version, same.Version, "nothing to add, nothing sent")

		_, _, err = c.CreatePayment(ctx, commercetools.PaymentDraft{AmountPlanned: eur(10),
			Custom: &commercetools.CustomFieldsDraft{Type: commercetools.ResourceIdentifier{TypeID: "type", Key: key}, Fields: map[string]any{"poNumber": "PO-1"}}})
		require.NoError(t, err)
	})

	t.Run("order from cart", func(t *testing.T) {
		cart := newCart(t, c, 2500, "")
		none, err := c.OrderOfCart(ctx, cart.ID)
		require.NoError(t, err)
		assert.Nil(t, none)
		o, err := c.CreateOrderFromCart(ctx, commercetools.OrderFromCartDraft{Cart: commercetools.ResourceIdentifier{TypeID: "cart", ID: cart.ID}, Version: cart.Version})
		require.NoError(t, err)
		assert.Equal(t, int64(2500), o.TotalPrice.CentAmount)
		got, err := c.GetOrder(ctx, o.ID)
		require.NoError(t, err)
		assert.Equal(t, o.ID, got.ID)
		found, err := c.OrderOfCart(ctx, cart.ID)
		require.NoError(t, err)
		require.NotNil(t, found)
		assert.Equal(t, o.ID, found.ID)
	})
}

// The emulator's behaviours below are commercetools' but not the cross-check emulator's
// (see the notes of TestCrossCheckWithAnotherEmulator).
func TestEmulatorKeepsWhatTheOtherEmulatorDoesNot(t *testing.T) {
	s := newSetup(t)
	c := s.client
	ctx := context.Background()

	t.Run("payment with key is created once", func(t *testing.T) {
		key := "pay-" + uuid.NewString()
		draft := commercetools.PaymentDraft{
			Key: key, AmountPlanned: eur(1200),
			PaymentMethodInfo: &commercetools.PaymentMethodInfo{PaymentInterface: "mock", Method: "card"},
			Transactions: []commercetools.TransactionDraft{{Type: commercetools.TransactionAuthorization, Amount: eur(1200),
				InteractionID: key + "-auth", State: commercetools.StateInitial}},
		}
		first, created, err := c.CreatePayment(ctx, draft)
		require.NoError(t, err)
		assert.True(t, created)
		require.Len(t, first.Transactions, 1)
		assert.Equal(t, commercetools.StateInitial, first.Transactions[0].State)

		again, created, err := c.CreatePayment(ctx, draft)
		require.NoError(t, err)
		assert.False(t, created, "the key is taken: the first payment is returned")
		assert.Equal(t, first.ID, again.ID)

		byKey, err := c.GetPaymentByKey(ctx, key)
		require.NoError(t, err)
		assert.Equal(t, first.ID, byKey.ID)
	})

	t.Run("cart keeps its customer and is ordered once", func(t *testing.T) {
		cart := newCart(t, c, 2500, "cust-1")
		assert.Equal(t, "cust-1", cart.CustomerID)
		_, err := c.CreateOrderFromCart(ctx, commercetools.OrderFromCartDraft{Cart: commercetools.ResourceIdentifier{TypeID: "cart", ID: cart.ID}, Version: cart.Version})
		require.NoError(t, err)
		ordered, err := c.GetCart(ctx, cart.ID)
		require.NoError(t, err)
		assert.Equal(t, "Ordered", ordered.CartState)
		_, err = c.CreateOrderFromCart(ctx, commercetools.OrderFromCartDraft{Cart: commercetools.ResourceIdentifier{TypeID: "cart", ID: cart.ID}, Version: ordered.Version})
		assert.True(t, commercetools.HasCode(err, commercetools.CodeInvalidOperation), "%v", err)
	})

	t.Run("payment keeps the interface id of its draft", func(t *testing.T) {
		p, _, err := c.CreatePayment(ctx, commercetools.PaymentDraft{AmountPlanned: eur(10), InterfaceID: "psp-draft"})
		require.NoError(t, err)
		assert.Equal(t, "psp-draft", p.InterfaceID)
	})
}

func TestClientAgainstTheEmulator(t *testing.T) {
	s := newSetup(t)
	runResourceSuite(t, s.client)
	assert.Greater(t, s.contract.Checked(), 20, "exchanges checked against the official description")
}
