package handlers

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/checkout-connect/go-connector/commercetools"
	"github.com/checkout-connect/go-connector/internal/testenv"
)

// pay sends POST /payments for the session, with an optional Idempotency-Key.
func pay(t *testing.T, s *stack, sessionID, body, idempotencyKey string) *httptest.ResponseRecorder {
	t.Helper()
	req := jsonRequest("POST", "/payments", body)
	req.Header.Set("x-session-id", sessionID)
	if idempotencyKey != "" {
		req.Header.Set("Idempotency-Key", idempotencyKey)
	}
	return serve(t, s.engine, req)
}

func paymentReference(t testing.TB, rec *httptest.ResponseRecorder) string {
	t.Helper()
	require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
	var body struct {
		PaymentReference string `json:"paymentReference"`
	}
	require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &body))
	require.NotEmpty(t, body.PaymentReference)
	return body.PaymentReference
}

func getPayment(t *testing.T, s *stack, id string) *commercetools.Payment {
	t.Helper()
	p, err := s.ct.Client.GetPayment(context.Background(), id)
	require.NoError(t, err)
	return p
}

func getCart(t *testing.T, s *stack, id string) *commercetools.Cart {
	t.Helper()
	c, err := s.ct.Client.GetCart(context.Background(), id)
	require.NoError(t, err)
	return c
}

// paymentsOfProject counts every payment of the project.
func paymentsOfProject(t *testing.T, s *stack) int {
	t.Helper()
	page, err := s.ct.Client.QueryPayments(context.Background(), "id is defined")
	require.NoError(t, err)
	return int(page.Total)
}

func TestCreatePayment(t *testing.T) {
	s := newTestStack(t)
	cases := []struct {
		name   string
		body   string
		method string
		state  string
	}{
		{"card authorized", `{"paymentMethod":{"type":"card"},"paymentOutcome":"Authorized"}`, "card", commercetools.StateSuccess},
		{"card rejected", `{"paymentMethod":{"type":"card"},"paymentOutcome":"Rejected"}`, "card", commercetools.StateFailure},
		{"card, the PSP decides", `{"paymentMethod":{"type":"card"}}`, "card", commercetools.StateSuccess},
		{"invoice", `{"paymentMethod":{"type":"invoice"},"paymentOutcome":"Authorized"}`, "invoice", commercetools.StateSuccess},
		{"custom test method", `{"paymentMethod":{"type":"customtestmethod"},"paymentOutcome":"Authorized"}`, "customtestmethod", commercetools.StateSuccess},
		{"purchase order", `{"paymentMethod":{"type":"purchaseorder","poNumber":" PO-9 ","invoiceMemo":"dock 4"},"paymentOutcome":"Authorized"}`, "purchaseorder", commercetools.StateSuccess},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			checkout := s.ct.NewCheckout(t, 4999, "cust-1", commercetools.SessionMetadata{PaymentInterface: "psp-x", CheckoutTransactionItemID: "cti-1"})
			id := paymentReference(t, pay(t, s, checkout.SessionID, tc.body, ""))

			p := getPayment(t, s, id)
			assert.Equal(t, int64(4999), p.AmountPlanned.CentAmount, "the amount comes from the cart")
			assert.Equal(t, "EUR", p.AmountPlanned.CurrencyCode)
			assert.Equal(t, "psp-x", p.PaymentMethodInfo.PaymentInterface, "the session's payment interface")
			assert.Equal(t, tc.method, p.PaymentMethodInfo.Method)
			assert.Equal(t, "cti-1", p.CheckoutTransactionItemID)
			require.NotNil(t, p.Customer)
			assert.Equal(t, "cust-1", p.Customer.ID)
			require.Len(t, p.Transactions, 1)
			tx := p.Transactions[0]
			assert.Equal(t, commercetools.TransactionAuthorization, tx.Type)
			assert.Equal(t, tc.state, tx.State)
			assert.Equal(t, int64(4999), tx.Amount.CentAmount)
			assert.NotEmpty(t, tx.InteractionID)
			assert.NotEmpty(t, p.InterfaceID, "the PSP reference")
			assert.Equal(t, p.InterfaceID, tx.InterfaceID)
			assert.Equal(t, []string{id}, getCart(t, s, checkout.Cart.ID).PaymentIDs())
			if tc.method == "purchaseorder" {
				require.NotNil(t, p.Custom)
				assert.JSONEq(t, `"PO-9"`, string(p.Custom.Fields["launchpadPurchaseOrderNumber"]))
				assert.JSONEq(t, `"dock 4"`, string(p.Custom.Fields["launchpadPurchaseOrderInvoiceMemo"]))
			}
		})
	}
}

// Refusals happen before anything is written: no payment, nothing on the cart.
func TestCreatePaymentRefusalsWriteNothing(t *testing.T) {
	s := newTestStack(t)
	spent := s.ct.NewCheckout(t, 1000, "", commercetools.SessionMetadata{})
	paymentReference(t, pay(t, s, spent.SessionID, `{"paymentMethod":{"type":"invoice"}}`, ""))
	before := paymentsOfProject(t, s)

	restricted := s.ct.NewCheckout(t, 1000, "", commercetools.SessionMetadata{AllowedPaymentMethods: []string{"card"}})
	anonymous := s.ct.NewCheckout(t, 1000, "", commercetools.SessionMetadata{})
	cases := []struct {
		name, session, body string
		status              int
		code, field         string
	}{
		{"purchase order without PO number", anonymous.SessionID, `{"paymentMethod":{"type":"purchaseorder","poNumber":"  "}}`, 400, "RequiredField", "paymentMethod.poNumber"},
		{"method the session does not allow", restricted.SessionID, `{"paymentMethod":{"type":"invoice"}}`, 400, "InvalidField", "paymentMethod.type"},
		{"store without a customer", anonymous.SessionID, `{"paymentMethod":{"type":"card","storePaymentMethod":true}}`, 400, "RequiredField", "customerId"},
		{"stored method without a customer", anonymous.SessionID, `{"paymentMethod":{"type":"card","storedPaymentMethodId":"pm-1"}}`, 400, "RequiredField", "customerId"},
		{"store and stored together", anonymous.SessionID, `{"paymentMethod":{"type":"card","storedPaymentMethodId":"pm-1","storePaymentMethod":true}}`, 400, "InvalidOperation", ""},
		{"cart already paid", spent.SessionID, `{"paymentMethod":{"type":"card"}}`, 400, "InvalidOperation", ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			rec := pay(t, s, tc.session, tc.body, "")
			assert.Equal(t, tc.status, rec.Code, rec.Body.String())
			got := decodeError(t, rec)
			assert.Equal(t, tc.code, got.Errors[0]["code"])
			if tc.field != "" {
				assert.Equal(t, tc.field, got.Errors[0]["field"])
			}
		})
	}
	assert.Equal(t, before, paymentsOfProject(t, s), "no payment was created")
	assert.Empty(t, getCart(t, s, anonymous.Cart.ID).PaymentIDs())
	assert.Empty(t, getCart(t, s, restricted.Cart.ID).PaymentIDs())
}

// The amount is the cart's: an amount in the body is ignored, and a second payment pays
// only what the first left open.
func TestPaymentAmountCannotBeTampered(t *testing.T) {
	s := newTestStack(t)
	checkout := s.ct.NewCheckout(t, 5000, "", commercetools.SessionMetadata{})
	id := paymentReference(t, pay(t, s, checkout.SessionID,
		`{"paymentMethod":{"type":"card"},"paymentOutcome":"Rejected","amount":{"centAmount":1,"currencyCode":"EUR"},"amountPlanned":{"centAmount":1,"currencyCode":"USD"}}`, ""))
	assert.Equal(t, int64(5000), getPayment(t, s, id).AmountPlanned.CentAmount)

	id = paymentReference(t, pay(t, s, checkout.SessionID, `{"paymentMethod":{"type":"card"},"amount":{"centAmount":1,"currencyCode":"EUR"}}`, ""))
	assert.Equal(t, int64(5000), getPayment(t, s, id).AmountPlanned.CentAmount, "the rejected payment did not count as paid")
}

func TestIdempotencyKeyReturnsTheFirstPayment(t *testing.T) {
	s := newTestStack(t)
	checkout := s.ct.NewCheckout(t, 3000, "", commercetools.SessionMetadata{})
	first := paymentReference(t, pay(t, s, checkout.SessionID, `{"paymentMethod":{"type":"card"}}`, "submit-1"))
	again := paymentReference(t, pay(t, s, checkout.SessionID, `{"paymentMethod":{"type":"card"}}`, "submit-1"))
	assert.Equal(t, first, again)
	assert.Len(t, getCart(t, s, checkout.Cart.ID).PaymentIDs(), 1)
	assert.Len(t, getPayment(t, s, first).Transactions, 1)

	rec := pay(t, s, checkout.SessionID, `{"paymentMethod":{"type":"card"}}`, "submit-2")
	assert.Equal(t, http.StatusBadRequest, rec.Code, "another key is another payment, and the cart is paid")
}

// intent sends POST /operations/payment-intents/{id} with a token of the right scope.
func intent(t *testing.T, s *stack, paymentID, action string) *httptest.ResponseRecorder {
	t.Helper()
	req := jsonRequest("POST", "/operations/payment-intents/"+paymentID, `{"actions":[`+action+`]}`)
	req.Header.Set("Authorization", "Bearer "+s.ct.Token(t, "manage_checkout_payment_intents:"+testenv.ProjectKey, 600))
	return serve(t, s.engine, req)
}

func outcome(t *testing.T, rec *httptest.ResponseRecorder) string {
	t.Helper()
	require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
	var body struct {
		Outcome      string `json:"outcome"`
		PSPReference string `json:"pspReference"`
	}
	require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &body))
	if body.Outcome == "approved" {
		assert.NotEmpty(t, body.PSPReference)
	}
	return body.Outcome
}

func capture(cents int, ref string) string {
	if ref == "" {
		return fmt.Sprintf(`{"action":"capturePayment","amount":{"centAmount":%d,"currencyCode":"EUR"}}`, cents)
	}
	return fmt.Sprintf(`{"action":"capturePayment","amount":{"centAmount":%d,"currencyCode":"EUR"},"merchantReference":%q}`, cents, ref)
}

func refund(cents int) string {
	return fmt.Sprintf(`{"action":"refundPayment","amount":{"centAmount":%d,"currencyCode":"EUR"}}`, cents)
}

// authorized pays a new cart of cents and returns the payment id.
func authorized(t *testing.T, s *stack, cents int64) string {
	t.Helper()
	checkout := s.ct.NewCheckout(t, cents, "", commercetools.SessionMetadata{})
	return paymentReference(t, pay(t, s, checkout.SessionID, `{"paymentMethod":{"type":"card"}}`, ""))
}

// transactions lists a payment's transactions as "Type State amount".
func transactions(t *testing.T, s *stack, id string) []string {
	t.Helper()
	var out []string
	for _, tx := range getPayment(t, s, id).Transactions {
		out = append(out, fmt.Sprintf("%s %s %d", tx.Type, tx.State, tx.Amount.CentAmount))
	}
	return out
}

func TestCaptureAndRefund(t *testing.T) {
	s := newTestStack(t)
	id := authorized(t, s, 10000)

	assert.Equal(t, "approved", outcome(t, intent(t, s, id, capture(3000, "cap-1"))))
	assert.Equal(t, "approved", outcome(t, intent(t, s, id, capture(3000, "cap-1"))), "a repeat with the same merchantReference")
	assert.Equal(t, "approved", outcome(t, intent(t, s, id, capture(5000, ""))))
	rec := intent(t, s, id, capture(2001, ""))
	assert.Equal(t, http.StatusBadRequest, rec.Code, "more than remains authorized")
	assert.Equal(t, "InvalidOperation", decodeError(t, rec).Errors[0]["code"])
	rec = intent(t, s, id, `{"action":"capturePayment","amount":{"centAmount":100,"currencyCode":"USD"}}`)
	assert.Equal(t, http.StatusBadRequest, rec.Code, "another currency")
	assert.Equal(t, "amount.currencyCode", decodeError(t, rec).Errors[0]["field"])

	assert.Equal(t, "approved", outcome(t, intent(t, s, id, refund(2000))))
	assert.Equal(t, "approved", outcome(t, intent(t, s, id, refund(6000))))
	rec = intent(t, s, id, refund(1))
	assert.Equal(t, http.StatusBadRequest, rec.Code, "more than captured and not refunded")

	assert.Equal(t, []string{
		"Authorization Success 10000", "Charge Success 3000", "Charge Success 5000", "Refund Success 2000", "Refund Success 6000",
	}, transactions(t, s, id))

	assert.Equal(t, "approved", outcome(t, intent(t, s, id, `{"action":"cancelPayment"}`)), "what remains authorized is released")
	rec = intent(t, s, id, capture(1, ""))
	assert.Equal(t, http.StatusBadRequest, rec.Code, "nothing to capture once the rest is released")
	assert.Equal(t, "Authorization Success 10000,Charge Success 3000,Charge Success 5000,Refund Success 2000,Refund Success 6000,CancelAuthorization Success 2000",
		strings.Join(transactions(t, s, id), ","))
	rec = intent(t, s, id, `{"action":"cancelPayment"}`)
	assert.Equal(t, http.StatusBadRequest, rec.Code, "a captured payment is refunded, not cancelled")
}

func TestCancelAndReverse(t *testing.T) {
	s := newTestStack(t)

	cancelled := authorized(t, s, 1500)
	assert.Equal(t, "approved", outcome(t, intent(t, s, cancelled, `{"action":"cancelPayment","merchantReference":"c-1"}`)))
	assert.Equal(t, "approved", outcome(t, intent(t, s, cancelled, `{"action":"cancelPayment","merchantReference":"c-1"}`)), "repeat")
	rec := intent(t, s, cancelled, `{"action":"cancelPayment"}`)
	assert.Equal(t, http.StatusBadRequest, rec.Code, "a second cancellation")
	rec = intent(t, s, cancelled, capture(100, ""))
	assert.Equal(t, http.StatusBadRequest, rec.Code, "no capture after a cancellation")
	assert.Equal(t, []string{"Authorization Success 1500", "CancelAuthorization Success 1500"}, transactions(t, s, cancelled))

	reversedAuth := authorized(t, s, 800)
	assert.Equal(t, "approved", outcome(t, intent(t, s, reversedAuth, `{"action":"reversePayment"}`)))
	assert.Equal(t, []string{"Authorization Success 800", "CancelAuthorization Success 800"}, transactions(t, s, reversedAuth))

	reversedCharge := authorized(t, s, 900)
	outcome(t, intent(t, s, reversedCharge, capture(600, "")))
	assert.Equal(t, "approved", outcome(t, intent(t, s, reversedCharge, `{"action":"reversePayment"}`)))
	assert.Equal(t, []string{"Authorization Success 900", "Charge Success 600", "Refund Success 600", "CancelAuthorization Success 300"}, transactions(t, s, reversedCharge))
	rec = intent(t, s, reversedCharge, `{"action":"reversePayment"}`)
	assert.Equal(t, http.StatusBadRequest, rec.Code, "nothing left to reverse")
	assert.Equal(t, "There is no successful payment transaction to reverse.", decodeError(t, rec).Message)

	checkout := s.ct.NewCheckout(t, 700, "", commercetools.SessionMetadata{})
	rejected := paymentReference(t, pay(t, s, checkout.SessionID, `{"paymentMethod":{"type":"card"},"paymentOutcome":"Rejected"}`, ""))
	rec = intent(t, s, rejected, `{"action":"reversePayment"}`)
	assert.Equal(t, http.StatusBadRequest, rec.Code, "a declined payment has nothing to reverse")
}

// Ten partial captures at once that together ask for more than is authorized: those that
// fit are recorded once each, the rest are refused, and the PSP never captures more.
func TestConcurrentCapturesNeverExceedTheAuthorization(t *testing.T) {
	s := newTestStack(t)
	id := authorized(t, s, 5000)
	token := "Bearer " + s.ct.Token(t, "manage_project:"+testenv.ProjectKey, 600)
	const captures = 10
	statuses := make([]int, captures)
	var wg sync.WaitGroup
	for i := range captures {
		wg.Go(func() {
			req := jsonRequest("POST", "/operations/payment-intents/"+id, `{"actions":[`+capture(700, fmt.Sprintf("cap-%d", i))+`]}`)
			req.Header.Set("Authorization", token)
			rec := httptest.NewRecorder()
			s.engine.ServeHTTP(rec, req)
			statuses[i] = rec.Code
		})
	}
	wg.Wait()
	approved, refused := 0, 0
	for _, code := range statuses {
		switch code {
		case http.StatusOK:
			approved++
		case http.StatusBadRequest:
			refused++
		default:
			t.Errorf("unexpected status %d", code)
		}
	}
	assert.Equal(t, 7, approved, "7 × 700 fit in 5000")
	assert.Equal(t, 3, refused)
	var charged int64
	charges := 0
	for _, tx := range getPayment(t, s, id).Transactions {
		if tx.Type == commercetools.TransactionCharge {
			charges++
			assert.Equal(t, commercetools.StateSuccess, tx.State)
			charged += tx.Amount.CentAmount
		}
	}
	assert.Equal(t, 7, charges)
	assert.Equal(t, int64(4900), charged)
}

func TestUnknownPaymentIntentIsNotFound(t *testing.T) {
	s := newTestStack(t)
	rec := intent(t, s, "no-such-payment", `{"action":"cancelPayment"}`)
	assert.Equal(t, http.StatusNotFound, rec.Code)
	assert.Equal(t, "ResourceNotFound", decodeError(t, rec).Errors[0]["code"])
}
