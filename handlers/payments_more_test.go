package handlers

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/checkout-connect/go-connector/commercetools"
	"github.com/checkout-connect/go-connector/internal/testenv"
	"github.com/checkout-connect/go-connector/payments"
)

// A PSP that cannot be reached leaves an unsettled authorization that does not count as
// paid; the same submit, once the PSP is back, completes that same payment.
func TestPSPOutageLeavesNothingHalfDone(t *testing.T) {
	clock := testenv.NewClock(time.Now())
	s := newTestStackWith(t, stackOptions{clock: clock})
	checkout := s.ct.NewCheckout(t, 2500, "", commercetools.SessionMetadata{})
	s.psp.SetAvailable(false)
	rec := pay(t, s, checkout.SessionID, `{"paymentMethod":{"type":"card"}}`, "submit-1")
	assert.Equal(t, http.StatusBadGateway, rec.Code)
	assert.Equal(t, "PaymentOutcomePending", decodeError(t, rec).Errors[0]["code"], "the outcome is unknown, not 'nothing charged'")
	assert.NotEmpty(t, rec.Header().Get("Retry-After"))

	cart := getCart(t, s, checkout.Cart.ID)
	require.Len(t, cart.PaymentIDs(), 1, "recorded before the PSP was asked")
	pending := getPayment(t, s, cart.PaymentIDs()[0])
	assert.Equal(t, pending.ID, paymentRef(t, rec))
	assert.Equal(t, []string{"Authorization Initial 2500"}, transactions(t, s, pending.ID))
	balance, err := s.ct.Client.CartBalance(context.Background(), cart)
	require.NoError(t, err)
	assert.Equal(t, int64(2500), balance.Open.CentAmount, "to Checkout an unsettled authorization pays nothing")

	s.psp.SetAvailable(true)
	rec = pay(t, s, checkout.SessionID, `{"paymentMethod":{"type":"card"}}`, "")
	assert.Equal(t, http.StatusConflict, rec.Code, "another payment of the cart may still be running")
	assert.Equal(t, "PaymentInProgress", decodeError(t, rec).Errors[0]["code"])
	rec = pay(t, s, checkout.SessionID, `{"paymentMethod":{"type":"card"}}`, "submit-1")
	assert.Equal(t, http.StatusConflict, rec.Code, "the first request may still be running")
	assert.Equal(t, 1, s.pspCalls.Count("Authorize"))

	clock.Advance(21 * time.Second) // past the request budget: the first request has ended
	id := paymentReference(t, pay(t, s, checkout.SessionID, `{"paymentMethod":{"type":"card"}}`, "submit-1"))
	assert.Equal(t, pending.ID, id, "the same payment, finished by the repeat")
	assert.Equal(t, []string{"Authorization Success 2500"}, transactions(t, s, id))
	assert.Len(t, getCart(t, s, checkout.Cart.ID).PaymentIDs(), 1)
	assert.Equal(t, 2, s.pspCalls.Count("Authorize"), "the call that failed, and the one that finished it")
	assert.Equal(t, 2, s.pspCalls.MaxPerKey("Authorize"), "both with the same idempotency key")
	checkLedger(t, s.ct, true, &s.pspCalls.Calls, &s.cardCalls.Calls)
}

// recurring sends POST /operations/transactions with a token of the right scope.
func recurring(t *testing.T, s *stack, body string) *httptest.ResponseRecorder {
	t.Helper()
	req := jsonRequest("POST", "/operations/transactions", body)
	req.Header.Set("Authorization", "Bearer "+s.ct.Token(t, "manage_checkout_transactions:"+testenv.ProjectKey, 600))
	return serve(t, s.engine, req)
}

// storedMethod stores a payment method for the customer on the interface.
func storedMethod(t *testing.T, s *stack, customer, iface string) string {
	t.Helper()
	pm, err := s.ct.Client.CreatePaymentMethod(context.Background(), commercetools.PaymentMethodDraft{
		Customer: &commercetools.ResourceIdentifier{TypeID: "customer", ID: customer}, Method: "card", PaymentInterface: iface,
		Token: &commercetools.Token{Value: "tok-" + customer}, PaymentMethodStatus: "Active",
	})
	require.NoError(t, err)
	return pm.ID
}

func TestRecurringTransactions(t *testing.T) {
	s := newTestStack(t)
	const iface = "mock-spm"
	mine := storedMethod(t, s, "cust-r", iface)
	theirs := storedMethod(t, s, "cust-other", iface)
	body := func(cart commercetools.Cart, pm string, amount string) string {
		b := `{"cartId":"` + cart.ID + `","checkoutTransactionItemId":"1f2e3d4c-5b6a-4978-8a9b-0c1d2e3f4a5b","type":"Recurring"`
		if pm != "" {
			b += `,"paymentMethodId":"` + pm + `"`
		}
		if amount != "" {
			b += `,"amount":` + amount
		}
		return b + "}"
	}
	state := func(rec *httptest.ResponseRecorder) (string, string) {
		require.Equal(t, http.StatusCreated, rec.Code, rec.Body.String())
		var out struct {
			TransactionStatus struct {
				State  string `json:"state"`
				Errors []struct {
					Code string `json:"code"`
				} `json:"errors"`
			} `json:"transactionStatus"`
			PaymentID string `json:"paymentId"`
		}
		require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &out))
		return out.TransactionStatus.State, out.PaymentID
	}

	small := s.ct.NewCheckout(t, 9999, "cust-r", commercetools.SessionMetadata{})
	st, id := state(recurring(t, s, body(*small.Cart, mine, "")))
	assert.Equal(t, "Completed", st)
	p := getPayment(t, s, id)
	assert.Equal(t, int64(9999), p.AmountPlanned.CentAmount)
	assert.Equal(t, []string{"Authorization Success 9999"}, transactions(t, s, id))
	assert.Equal(t, []string{id}, getCart(t, s, small.Cart.ID).PaymentIDs())

	large := s.ct.NewCheckout(t, 10000, "cust-r", commercetools.SessionMetadata{})
	st, id = state(recurring(t, s, body(*large.Cart, mine, "")))
	assert.Equal(t, "Failed", st, "the mock declines 10000 and more")
	assert.Equal(t, []string{"Authorization Failure 10000"}, transactions(t, s, id))

	part := s.ct.NewCheckout(t, 20000, "cust-r", commercetools.SessionMetadata{})
	st, id = state(recurring(t, s, body(*part.Cart, mine, `{"centAmount":500,"currencyCode":"EUR"}`)))
	assert.Equal(t, "Completed", st)
	assert.Equal(t, int64(500), getPayment(t, s, id).AmountPlanned.CentAmount)

	anonymous := s.ct.NewCheckout(t, 100, "", commercetools.SessionMetadata{})
	cases := []struct {
		name        string
		body        string
		status      int
		code, field string
	}{
		{"no payment method", body(*part.Cart, "", ""), 400, "RequiredField", "paymentMethodId"},
		{"another customer's method", body(*part.Cart, theirs, ""), 404, "ResourceNotFound", ""},
		{"unknown method", body(*part.Cart, "0d3f1c52-7a4e-4b8e-9c11-5b2e8f0a6d93", ""), 404, "ResourceNotFound", ""},
		{"cart without customer", body(*anonymous.Cart, mine, ""), 400, "RequiredField", "customerId"},
		{"unknown cart", `{"cartId":"8a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d","checkoutTransactionItemId":"1f2e3d4c-5b6a-4978-8a9b-0c1d2e3f4a5b","type":"Recurring","paymentMethodId":"` + mine + `"}`, 404, "ResourceNotFound", ""},
		{"other currency", body(*part.Cart, mine, `{"centAmount":500,"currencyCode":"USD"}`), 400, "InvalidField", "amount.currencyCode"},
		{"more than open", body(*part.Cart, mine, `{"centAmount":20000,"currencyCode":"EUR"}`), 400, "InvalidField", "amount.centAmount"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			rec := recurring(t, s, tc.body)
			assert.Equal(t, tc.status, rec.Code, rec.Body.String())
			got := decodeError(t, rec)
			assert.Equal(t, tc.code, got.Errors[0]["code"])
			if tc.field != "" {
				assert.Equal(t, tc.field, got.Errors[0]["field"])
			}
		})
	}

	off := newTestStackWith(t, stackOptions{payments: func(c *payments.Config) { c.StoredPaymentMethods.Enabled = false }})
	rec := recurring(t, off, body(*small.Cart, mine, ""))
	assert.Equal(t, http.StatusBadRequest, rec.Code, "the feature is off")
	assert.Equal(t, "InvalidOperation", decodeError(t, rec).Errors[0]["code"])
}

func TestStoredPaymentMethods(t *testing.T) {
	s := newTestStack(t)
	checkout := s.ct.NewCheckout(t, 1000, "cust-s", commercetools.SessionMetadata{})
	list := func() []map[string]any {
		req := httptest.NewRequest("GET", "/stored-payment-methods", nil)
		req.Header.Set("x-session-id", checkout.SessionID)
		rec := serve(t, s.engine, req)
		require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
		var out struct {
			StoredPaymentMethods []map[string]any `json:"storedPaymentMethods"`
		}
		require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &out))
		return out.StoredPaymentMethods
	}
	assert.Empty(t, list())

	first := paymentReference(t, pay(t, s, checkout.SessionID, `{"paymentMethod":{"type":"card","storePaymentMethod":true}}`, ""))
	stored := list()
	require.Len(t, stored, 1, "stored with the shopper's consent")
	assert.Equal(t, "card", stored[0]["type"])
	assert.NotContains(t, stored[0], "token", "the PSP token stays on the server")
	pmID := stored[0]["id"].(string)

	_, err := s.ct.Client.UpdatePayment(context.Background(), first, commercetools.PaymentChange{Transaction: &commercetools.TransactionChange{
		Type: commercetools.TransactionCancelAuthorization, Amount: eur(1000), InteractionID: "void", State: commercetools.StateSuccess}})
	require.NoError(t, err, "void the first payment so the cart is open again")
	second := paymentReference(t, pay(t, s, checkout.SessionID, `{"paymentMethod":{"type":"card","storedPaymentMethodId":"`+pmID+`"}}`, ""))
	assert.Equal(t, []string{"Authorization Success 1000"}, transactions(t, s, second), "paid with the stored method")

	other := storedMethod(t, s, "cust-other", "mock-spm")
	del := func(id string) *httptest.ResponseRecorder {
		req := httptest.NewRequest("DELETE", "/stored-payment-methods/"+id, nil)
		req.Header.Set("x-session-id", checkout.SessionID)
		return serve(t, s.engine, req)
	}
	rec := del(other)
	assert.Equal(t, http.StatusNotFound, rec.Code, "another customer's method")
	_, err = s.ct.Client.GetPaymentMethod(context.Background(), other)
	assert.NoError(t, err, "and it is still there")

	rec = del(pmID)
	assert.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
	assert.Empty(t, rec.Body.String())
	assert.Empty(t, list())
	assert.Equal(t, http.StatusNotFound, del(pmID).Code)

	anonymous := s.ct.NewCheckout(t, 1000, "", commercetools.SessionMetadata{})
	req := httptest.NewRequest("GET", "/stored-payment-methods", nil)
	req.Header.Set("x-session-id", anonymous.SessionID)
	rec = serve(t, s.engine, req)
	assert.Equal(t, http.StatusBadRequest, rec.Code)
	assert.Equal(t, "customerId", decodeError(t, rec).Errors[0]["field"])
}

func eur(cents int64) commercetools.Money {
	return commercetools.Money{CurrencyCode: "EUR", CentAmount: cents}
}

func TestConfigComponentsAndStatus(t *testing.T) {
	s := newTestStack(t)
	withCustomer := s.ct.NewCheckout(t, 1000, "cust-c", commercetools.SessionMetadata{})
	anonymous := s.ct.NewCheckout(t, 1000, "", commercetools.SessionMetadata{})
	config := func(session string) map[string]any {
		req := httptest.NewRequest("GET", "/operations/config", nil)
		req.Header.Set("x-session-id", session)
		rec := serve(t, s.engine, req)
		require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
		var out map[string]any
		require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &out))
		return out
	}
	assert.Equal(t, map[string]any{"clientKey": "ck-test", "environment": "TEST", "storedPaymentMethodsConfig": map[string]any{"isEnabled": true}}, config(withCustomer.SessionID))
	assert.Equal(t, map[string]any{"isEnabled": false}, config(anonymous.SessionID)["storedPaymentMethodsConfig"], "no customer, nothing to store")

	jwt := "Bearer " + s.ct.MintJWT(t, nil)
	get := func(path string) *httptest.ResponseRecorder {
		req := httptest.NewRequest("GET", path, nil)
		req.Header.Set("Authorization", jwt)
		return serve(t, s.engine, req)
	}
	rec := get("/operations/payment-components")
	require.Equal(t, http.StatusOK, rec.Code)
	assert.JSONEq(t, `{"dropins":[],"components":[{"type":"card"},{"type":"customtestmethod"},{"type":"invoice"},{"type":"purchaseorder"},{"type":"offsite"}],"express":[{"type":"sample"}]}`, rec.Body.String())

	status := func() (int, map[string]any) {
		rec := get("/operations/status")
		var out map[string]any
		require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &out))
		return rec.Code, out
	}
	code, body := status()
	assert.Equal(t, http.StatusOK, code)
	assert.Equal(t, "OK", body["status"])
	assert.Equal(t, "test", body["version"])
	checks := body["checks"].([]any)
	require.Len(t, checks, 3)
	assert.Equal(t, "commercetools permissions", checks[0].(map[string]any)["name"])
	assert.Equal(t, "UP", checks[0].(map[string]any)["status"])
	assert.Equal(t, "Mock Payment API", checks[1].(map[string]any)["name"])
	assert.Equal(t, "mock giftcard API call", checks[2].(map[string]any)["name"])
	for _, c := range checks {
		assert.NotEmpty(t, c.(map[string]any)["details"], "every check tells its details: %v", c)
	}
	metadata := body["metadata"].(map[string]any)
	assert.Equal(t, "test", metadata["version"])
	assert.NotEmpty(t, metadata["goVersion"])
	assert.Equal(t, "mock", metadata["psp"])

	s.psp.SetAvailable(false)
	s.cards.SetAvailable(false)
	code, body = status()
	assert.Equal(t, http.StatusOK, code)
	assert.Equal(t, "Partially Available", body["status"])

	s.ct.Faults(t, map[string]any{"path": "/oauth/token", "status": 503})
	code, body = status()
	assert.Equal(t, http.StatusServiceUnavailable, code, "every check is down")
	assert.Equal(t, "Unavailable", body["status"])
	assert.Equal(t, "Not able to talk with commercetools API", body["checks"].([]any)[0].(map[string]any)["message"])
}

// A capture the PSP declines is answered rejected and recorded as a failed Charge, which
// takes nothing from what remains authorized. Here the PSP lost the authorization: the
// processor restarted with a new mock PSP.
func TestCaptureDeclinedByThePSP(t *testing.T) {
	s := newTestStack(t)
	id := authorized(t, s, 1000)
	restarted := newTestStackWith(t, stackOptions{ct: s.ct})

	assert.Equal(t, "rejected", outcome(t, intent(t, restarted, id, capture(400, ""))))
	assert.Equal(t, []string{"Authorization Success 1000", "Charge Failure 400"}, transactions(t, s, id))
	rec := intent(t, restarted, id, capture(1000, ""))
	assert.Equal(t, http.StatusOK, rec.Code, "the failed charge reserved nothing: %s", rec.Body.String())
}

// When commercetools cannot be reached the shopper gets a 503, and nothing is half written.
func TestCommercetoolsOutageIsA503(t *testing.T) {
	s := newTestStack(t)
	checkout := s.ct.NewCheckout(t, 1000, "", commercetools.SessionMetadata{})
	warm := httptest.NewRequest("GET", "/operations/config", nil)
	warm.Header.Set("x-session-id", checkout.SessionID)
	serve(t, s.engine, warm)

	s.ct.Faults(t, map[string]any{"method": "POST", "path": "/payments", "status": 503})
	rec := pay(t, s, checkout.SessionID, `{"paymentMethod":{"type":"card"}}`, "")
	assert.Equal(t, http.StatusServiceUnavailable, rec.Code, rec.Body.String())
	assert.Equal(t, "ServiceUnavailable", decodeError(t, rec).Errors[0]["code"])
	s.ct.ClearFaults(t)
	assert.Empty(t, getCart(t, s, checkout.Cart.ID).PaymentIDs())
	assert.Equal(t, 0, paymentsOfProject(t, s))
}
