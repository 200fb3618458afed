package stripe_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/stripe/stripe-go/v85/webhook"

	"github.com/checkout-connect/go-connector/commercetools"
	"github.com/checkout-connect/go-connector/handlers"
	"github.com/checkout-connect/go-connector/internal/auth"
	"github.com/checkout-connect/go-connector/internal/testenv"
	"github.com/checkout-connect/go-connector/payments"
	"github.com/checkout-connect/go-connector/providers"
	"github.com/checkout-connect/go-connector/providers/registry"
	"github.com/checkout-connect/go-connector/providers/stripe"
)

// recorded is a Stripe double that answers with payloads recorded from Stripe's API for a
// manual-capture card payment, and keeps what it was sent. stripe-mock checks the requests'
// shape; this one carries the states a real PaymentIntent goes through.
type recorded struct {
	mu       sync.Mutex
	requests []string // "METHOD /path idempotency-key form"
}

func (r *recorded) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	body, _ := io.ReadAll(req.Body)
	form, _ := url.ParseQuery(string(body))
	r.mu.Lock()
	r.requests = append(r.requests, fmt.Sprintf("%s %s %s %s", req.Method, req.URL.Path, req.Header.Get("Idempotency-Key"), form.Encode()))
	r.mu.Unlock()
	w.Header().Set("Content-Type", "application/json")
	amount := form.Get("amount")
	switch {
	case req.Method == "POST" && req.URL.Path == "/v1/payment_intents":
		fmt.Fprintf(w, `{"id":"pi_1","object":"payment_intent","amount":%s,"amount_capturable":%s,"currency":%q,"status":"requires_capture","capture_method":"manual","metadata":{}}`,
			amount, amount, form.Get("currency"))
	case req.Method == "POST" && strings.HasSuffix(req.URL.Path, "/capture"):
		fmt.Fprintf(w, `{"id":"pi_1","object":"payment_intent","amount":2000,"amount_received":%s,"currency":"eur","status":"succeeded","latest_charge":"ch_1"}`, form.Get("amount_to_capture"))
	case req.Method == "POST" && strings.HasSuffix(req.URL.Path, "/cancel"):
		fmt.Fprint(w, `{"id":"pi_1","object":"payment_intent","amount":2000,"currency":"eur","status":"canceled"}`)
	case req.Method == "GET" && req.URL.Path == "/v1/payment_intents/search":
		// Stripe's search language: metadata['ct_idempotency_key']:'<key>'. Keys of
		// "stale_" attempts find a PaymentIntent of another key, as a loose match would.
		query := req.URL.Query().Get("query")
		key := strings.TrimSuffix(query[strings.LastIndex(query, ":'")+2:], "'")
		var data string
		switch {
		case strings.HasPrefix(key, "pay_"):
			data = fmt.Sprintf(`{"id":"pi_9","object":"payment_intent","amount":2000,"amount_capturable":2000,"currency":"eur","status":"requires_capture","metadata":{"ct_idempotency_key":%q}}`, key)
		case strings.HasPrefix(key, "stale_"):
			data = `{"id":"pi_8","object":"payment_intent","amount":2000,"currency":"eur","status":"succeeded","metadata":{"ct_idempotency_key":"other_auth"}}`
		}
		fmt.Fprintf(w, `{"object":"search_result","url":"/v1/payment_intents/search","has_more":false,"data":[%s]}`, data)
	case req.Method == "POST" && req.URL.Path == "/v1/refunds":
		fmt.Fprintf(w, `{"id":"re_%d","object":"refund","amount":%s,"currency":"eur","status":"succeeded","payment_intent":"pi_1"}`, len(r.requests), amount)
	default:
		w.WriteHeader(http.StatusNotFound)
		fmt.Fprint(w, `{"error":{"type":"invalid_request_error","message":"Unrecognized request URL"}}`)
	}
}

func (r *recorded) sent() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]string(nil), r.requests...)
}

// An authorization is looked up by the idempotency key in its PaymentIntent's metadata,
// with Stripe's search, and only a PaymentIntent carrying exactly that key counts.
func TestAuthorizationsAreLookedUpByKey(t *testing.T) {
	double := &recorded{}
	srv := httptest.NewServer(double)
	t.Cleanup(srv.Close)
	psp, err := stripe.Open(func(k string) string {
		return map[string]string{"STRIPE_SECRET_KEY": "sk_test_1", "STRIPE_WEBHOOK_SECRET": "whsec_1", "STRIPE_API_BASE": srv.URL}[k]
	})
	require.NoError(t, err)
	ctx := context.Background()

	r, found, err := psp.Lookup(ctx, "pay_x_1_2_auth")
	require.NoError(t, err)
	require.True(t, found)
	assert.Equal(t, providers.Approved, r.Outcome)
	assert.Equal(t, "pi_9", r.PSPReference)

	_, found, err = psp.Lookup(ctx, "stale_x_1_2_auth")
	require.NoError(t, err)
	assert.False(t, found, "a PaymentIntent of another key")
	_, found, err = psp.Lookup(ctx, "none_x_1_2_auth")
	require.NoError(t, err)
	assert.False(t, found, "no PaymentIntent")

	_, _, err = psp.Lookup(ctx, "op_x_1_2_capture")
	assert.ErrorIs(t, err, providers.ErrUnavailable, "captures are not looked up")
	assert.Len(t, double.sent(), 3, "one search a lookup of an authorization")
}

// stripeEngine is the money engine with PSP=stripe at the API base apiBase, over the
// emulator.
func stripeEngine(t *testing.T, apiBase string) (*payments.Service, *testenv.Commercetools) {
	t.Helper()
	psp, err := registry.OpenPSP("stripe", func(k string) string {
		return map[string]string{"STRIPE_SECRET_KEY": "sk_test_1", "STRIPE_WEBHOOK_SECRET": "whsec_1", "STRIPE_API_BASE": apiBase}[k]
	})
	require.NoError(t, err)
	ct := testenv.Start(t)
	flows, err := payments.New(ct.Client, psp, nil, payments.Config{PurchaseOrderTypeKey: "po"}, slog.New(slog.DiscardHandler))
	require.NoError(t, err)
	return flows, ct
}

// The money engine with PSP=stripe, against the emulator and the recorded Stripe:
// authorize, capture, refund, reverse; every call with the executor's idempotency key.
func TestTheEngineMovesMoneyThroughStripe(t *testing.T) {
	fake := &recorded{}
	srv := httptest.NewServer(fake)
	defer srv.Close()
	flows, ct := stripeEngine(t, srv.URL)
	ctx := context.Background()

	pay := func(cents int64, currency string) (string, *commercetools.Payment) {
		cart, err := ct.Client.CreateCart(ctx, commercetools.CartDraft{Currency: currency, CustomLineItems: []commercetools.CustomLineItemDraft{
			{Name: map[string]string{"en": "x"}, Slug: "x", Quantity: 1, Money: commercetools.Money{CurrencyCode: currency, CentAmount: cents}}}})
		require.NoError(t, err)
		out, err := flows.CreatePayment(ctx, &auth.Session{CartID: cart.ID},
			payments.PaymentRequest{Type: "card", Data: map[string]string{stripe.DataPaymentMethodID: "pm_card_visa"}})
		require.NoError(t, err)
		p, err := ct.Client.GetPayment(ctx, out.PaymentID)
		require.NoError(t, err)
		return out.PaymentID, p
	}
	id, p := pay(2000, "EUR")
	require.Len(t, p.Transactions, 1)
	auth := p.Transactions[0]
	assert.Equal(t, commercetools.StateSuccess, auth.State)
	assert.Equal(t, "pi_1", auth.InterfaceID)
	assert.Equal(t, stripe.Name, p.PaymentMethodInfo.PaymentInterface)
	first := fake.sent()[0]
	assert.Contains(t, first, "POST /v1/payment_intents "+auth.InteractionID+" ", "Stripe gets the executor's key")
	assert.Contains(t, first, "amount=2000")
	assert.Contains(t, first, "capture_method=manual")
	assert.Contains(t, first, "payment_method=pm_card_visa")
	assert.Contains(t, first, "metadata%5Bct_idempotency_key%5D="+auth.InteractionID)

	op := func(kind string, cents int64) payments.OperationResult {
		o := payments.Operation{Kind: kind}
		if cents > 0 {
			o.Amount = &commercetools.Money{CentAmount: cents, CurrencyCode: "EUR"}
		}
		r, err := flows.Modify(ctx, id, o)
		require.NoError(t, err, kind)
		return r
	}
	assert.Equal(t, "approved", string(op(payments.Capture, 1500).Outcome))
	assert.Equal(t, "approved", string(op(payments.Refund, 500).Outcome))
	assert.Equal(t, "approved", string(op(payments.Reverse, 0).Outcome), "refund what is captured, cancel the rest")
	p, err := ct.Client.GetPayment(ctx, id)
	require.NoError(t, err)
	var got []string
	for _, tx := range p.Transactions {
		got = append(got, fmt.Sprintf("%s %s %d %s", tx.Type, tx.State, tx.Amount.CentAmount, tx.InterfaceID))
	}
	assert.Equal(t, []string{"Authorization Success 2000 pi_1", "Charge Success 1500 ch_1", "Refund Success 500 re_3",
		"Refund Success 1000 re_4", "CancelAuthorization Success 500 pi_1"}, got)
	sent := fake.sent()
	require.Len(t, sent, 5, "one Stripe call per transaction")
	assert.Contains(t, sent[1], "amount_to_capture=1500")
	for i, tx := range p.Transactions {
		assert.Contains(t, sent[i], " "+tx.InteractionID+" ", "the key of %s", tx.Type)
	}

	_, _ = pay(1500, "JPY")
	assert.Contains(t, fake.sent()[5], "amount=1500&")
	assert.Contains(t, fake.sent()[5], "currency=jpy", "a zero-decimal currency, exact")
	_, _ = pay(1000, "ISK")
	assert.Contains(t, fake.sent()[6], "amount=100000&", "Stripe counts ISK with two decimals")

	var status []string
	for _, c := range flows.Checks(ctx, 0) {
		status = append(status, c.Name)
	}
	assert.Contains(t, status, "Stripe")
}

// Stripe's answer is lost (a 500); its webhook, signed as Stripe signs, settles the
// authorization, which the processor asked for once.
func TestAStripeWebhookFinishesALostAnswer(t *testing.T) {
	fake := &recorded{}
	failing := true
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if failing {
			failing = false
			_, _ = io.ReadAll(r.Body)
			w.WriteHeader(http.StatusInternalServerError)
			fmt.Fprint(w, `{"error":{"type":"api_error","message":"try again"}}`)
			return
		}
		fake.ServeHTTP(w, r)
	}))
	defer srv.Close()
	flows, ct := stripeEngine(t, srv.URL)
	ctx := context.Background()
	checkout := ct.NewCheckout(t, 2000, "", commercetools.SessionMetadata{})
	_, err := flows.CreatePayment(ctx, &auth.Session{CartID: checkout.Cart.ID}, payments.PaymentRequest{Type: "card", Data: map[string]string{stripe.DataPaymentMethodID: "pm_card_visa"}})
	var e *payments.Error
	require.ErrorAs(t, err, &e)
	require.Equal(t, payments.KindOutcomePending, e.Kind, "Stripe's 500 leaves the outcome open")
	paymentID := e.Extra["paymentReference"].(string)
	p, err := ct.Client.GetPayment(ctx, paymentID)
	require.NoError(t, err)
	key := p.Transactions[0].InteractionID

	body := []byte(fmt.Sprintf(`{"id":"evt_9","object":"event","api_version":"2026-03-25.dahlia","type":"payment_intent.amount_capturable_updated","data":{"object":`+
		`{"id":"pi_9","object":"payment_intent","amount":2000,"amount_capturable":2000,"currency":"eur","status":"requires_capture","metadata":{"ct_idempotency_key":%q,"ct_payment_id":%q}}}}`, key, paymentID))
	signature := webhook.GenerateTestSignedPayload(&webhook.UnsignedPayload{Payload: body, Secret: "whsec_1", Timestamp: time.Now()}).Header
	report, err := flows.HandleNotification(ctx, http.Header{"Stripe-Signature": {signature}}, body)
	require.NoError(t, err)
	assert.Equal(t, 1, report.Recorded)
	p, err = ct.Client.GetPayment(ctx, paymentID)
	require.NoError(t, err)
	assert.Equal(t, commercetools.StateSuccess, p.Transactions[0].State)
	assert.Equal(t, "pi_9", p.InterfaceID)
	assert.Empty(t, fake.sent(), "no second authorization was sent")

	_, err = flows.HandleNotification(ctx, http.Header{"Stripe-Signature": {signature}}, append(body[:len(body)-2:len(body)-2], ' ', '}', '}'))
	assert.Equal(t, payments.KindUnauthorized, kindOf(err), "a body that is not the one signed")
}

func kindOf(err error) payments.Kind {
	var e *payments.Error
	if errors.As(err, &e) {
		return e.Kind
	}
	return 0
}

// The processor with PSP=stripe against stripe-mock and the emulator: every request the
// flows send reaches stripe-mock, which validates it against Stripe's OpenAPI description,
// and commercetools records the state its fixtures stand for (stripe-mock answers every
// PaymentIntent with requires_payment_method, which is a decline, and every refund with
// succeeded).
func TestTheProcessorAgainstStripeMock(t *testing.T) {
	base := os.Getenv("STRIPE_MOCK_URL")
	if base == "" {
		t.Skip("STRIPE_MOCK_URL is not set; scripts/test starts stripe-mock")
	}
	psp, err := registry.OpenPSP("stripe", func(k string) string {
		return map[string]string{"STRIPE_SECRET_KEY": "sk_test_1", "STRIPE_WEBHOOK_SECRET": "whsec_1", "STRIPE_API_BASE": base}[k]
	})
	require.NoError(t, err)
	ct := testenv.Start(t)
	log := slog.New(slog.DiscardHandler)
	flows, err := payments.New(ct.Client, psp, nil, payments.Config{PurchaseOrderTypeKey: "po"}, log)
	require.NoError(t, err)
	engine, err := handlers.New(handlers.Options{Logger: log, MaxRequestBodyBytes: 1 << 16, Authenticator: ct.Authenticator(t), Payments: flows})
	require.NoError(t, err)
	do := func(req *http.Request) *httptest.ResponseRecorder {
		rec := httptest.NewRecorder()
		engine.ServeHTTP(rec, req)
		return rec
	}
	ctx := context.Background()

	checkout := ct.NewCheckout(t, 2000, "", commercetools.SessionMetadata{})
	req := httptest.NewRequest("POST", "/payments", strings.NewReader(`{"paymentMethod":{"type":"card"}}`))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("x-session-id", checkout.SessionID)
	rec := do(req)
	require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
	var paid struct {
		PaymentReference string `json:"paymentReference"`
	}
	require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &paid))
	p, err := ct.Client.GetPayment(ctx, paid.PaymentReference)
	require.NoError(t, err)
	assert.Equal(t, commercetools.StateFailure, p.Transactions[0].State, "stripe-mock's fixture declines")
	assert.NotEmpty(t, p.Transactions[0].InterfaceID, "with Stripe's reference")

	// A payment Stripe authorized and captured, as commercetools would show it.
	other := ct.NewCheckout(t, 3000, "", commercetools.SessionMetadata{})
	captured, _, err := ct.Client.CreatePayment(ctx, commercetools.PaymentDraft{AmountPlanned: commercetools.Money{CurrencyCode: "EUR", CentAmount: 3000},
		InterfaceID:       "pi_123",
		PaymentMethodInfo: &commercetools.PaymentMethodInfo{PaymentInterface: stripe.Name, Method: "card"},
		Transactions: []commercetools.TransactionDraft{
			{Type: commercetools.TransactionAuthorization, State: commercetools.StateSuccess, InteractionID: "a", InterfaceID: "pi_123", Amount: commercetools.Money{CurrencyCode: "EUR", CentAmount: 3000}},
			{Type: commercetools.TransactionCharge, State: commercetools.StateSuccess, InteractionID: "c", InterfaceID: "ch_123", Amount: commercetools.Money{CurrencyCode: "EUR", CentAmount: 2000}},
		}})
	require.NoError(t, err)
	cart, err := ct.Client.GetCart(ctx, other.Cart.ID)
	require.NoError(t, err)
	_, err = ct.Client.AddPayment(ctx, cart, captured.ID)
	require.NoError(t, err)
	token := ct.Token(t, "manage_checkout_payment_intents:"+testenv.ProjectKey, 600)
	intent := func(action string) string {
		req := httptest.NewRequest("POST", "/operations/payment-intents/"+captured.ID, strings.NewReader(`{"actions":[`+action+`]}`))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", "Bearer "+token)
		rec := do(req)
		require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
		var out struct {
			Outcome string `json:"outcome"`
		}
		require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &out))
		return out.Outcome
	}
	assert.Equal(t, "rejected", intent(`{"action":"capturePayment","amount":{"centAmount":500,"currencyCode":"EUR"}}`), "the fixture is not captured")
	assert.Equal(t, "approved", intent(`{"action":"refundPayment","amount":{"centAmount":700,"currencyCode":"EUR"}}`))
	assert.Equal(t, "rejected", intent(`{"action":"reversePayment"}`), "refund approved, cancellation not: the fixture is not canceled")
	p, err = ct.Client.GetPayment(ctx, captured.ID)
	require.NoError(t, err)
	var got []string
	for _, tx := range p.Transactions[2:] {
		got = append(got, fmt.Sprintf("%s %s %d", tx.Type, tx.State, tx.Amount.CentAmount))
	}
	assert.Equal(t, []string{"Charge Failure 500", "Refund Success 700", "Refund Success 1300", "CancelAuthorization Failure 1000"}, got)
}
