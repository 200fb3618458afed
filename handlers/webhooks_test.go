package handlers

import (
	"bytes"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/checkout-connect/go-connector/commercetools"
	"github.com/checkout-connect/go-connector/internal/testenv"
	"github.com/checkout-connect/go-connector/providers"
	"github.com/checkout-connect/go-connector/providers/mockpsp"
)

// deliver posts a webhook delivery to the engine.
func deliver(t *testing.T, s *stack, header http.Header, body []byte) *httptest.ResponseRecorder {
	t.Helper()
	req := httptest.NewRequest("POST", "/notifications", bytes.NewReader(body))
	for k, v := range header {
		req.Header[k] = v
	}
	return serve(t, s.engine, req)
}

// unknownOutcome pays a new cart while the PSP's answer is lost: the PSP authorized, the
// payment holds an Initial authorization.
func unknownOutcome(t *testing.T, s *stack, cents int64) string {
	t.Helper()
	checkout := s.ct.NewCheckout(t, cents, "", commercetools.SessionMetadata{})
	s.pspCalls.LoseAnswers(1)
	rec := pay(t, s, checkout.SessionID, `{"paymentMethod":{"type":"card"},"paymentOutcome":"Authorized"}`, "")
	require.Equal(t, http.StatusBadGateway, rec.Code, rec.Body.String())
	return paymentRef(t, rec)
}

func TestWebhookSettlesWhatTheProcessorCouldNotRecord(t *testing.T) {
	s := newTestStack(t)
	id := unknownOutcome(t, s, 2000)
	assert.Equal(t, []string{"Authorization Initial 2000"}, transactions(t, s, id))

	out := s.psp.Outbox()
	require.Len(t, out, 1)
	rec := deliverEvents(t, s, out...)
	assert.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
	assert.JSONEq(t, `{"received":true}`, rec.Body.String())
	assert.Equal(t, []string{"Authorization Success 2000"}, transactions(t, s, id))
	assert.Equal(t, out[0].PSPReference, getPayment(t, s, id).InterfaceID)
	assert.Equal(t, 1, s.pspCalls.Count("Authorize"), "the PSP was asked once")

	rec = deliverEvents(t, s, out...)
	assert.Equal(t, http.StatusOK, rec.Code, "a duplicate is acknowledged")
	assert.Len(t, transactions(t, s, id), 1, "and changes nothing")

	late := out[0]
	late.Kind, late.EventID = providers.EventAuthorizationFailed, "evt-late"
	rec = deliverEvents(t, s, late)
	assert.Equal(t, http.StatusOK, rec.Code)
	assert.Equal(t, []string{"Authorization Success 2000"}, transactions(t, s, id), "a final state is never reverted")
	checkLedger(t, s.ct, true, &s.pspCalls.Calls, &s.cardCalls.Calls)
}

// deliverEvents posts a delivery of events signed as the mock PSP signs them.
func deliverEvents(t *testing.T, s *stack, events ...providers.Notification) *httptest.ResponseRecorder {
	t.Helper()
	header, body := s.psp.Webhook(events...)
	return deliver(t, s, header, body)
}

func TestBadWebhooksAreRefusedWithNothingWritten(t *testing.T) {
	clock := testenv.NewClock(time.Now())
	s := newTestStack(t)
	s.psp.SetClock(clock.Now)
	id := unknownOutcome(t, s, 2000)
	header, body := s.psp.Webhook(s.psp.Outbox()...)

	tampered := bytes.Replace(body, []byte(`"centAmount":2000`), []byte(`"centAmount":2001`), 1)
	require.NotEqual(t, body, tampered)
	cases := map[string]struct {
		header http.Header
		body   []byte
	}{
		"tampered body":     {header, tampered},
		"wrong secret":      {http.Header{mockpsp.SignatureHeader: {mockpsp.Sign("guess", clock.Now(), body)}}, body},
		"no signature":      {http.Header{}, body},
		"replayed too late": {http.Header{mockpsp.SignatureHeader: {mockpsp.Sign(mockpsp.DefaultWebhookSecret, clock.Now().Add(-6*time.Minute), body)}}, body},
	}
	for name, tc := range cases {
		rec := deliver(t, s, tc.header, tc.body)
		assert.Equal(t, http.StatusUnauthorized, rec.Code, name)
		assert.Equal(t, "InvalidSignature", decodeError(t, rec).Errors[0]["code"], name)
	}
	assert.Equal(t, []string{"Authorization Initial 2000"}, transactions(t, s, id), "nothing written")

	clock.Advance(6 * time.Minute)
	rec := deliver(t, s, header, body)
	assert.Equal(t, http.StatusUnauthorized, rec.Code, "the genuine delivery, replayed six minutes later")
	assert.Equal(t, []string{"Authorization Initial 2000"}, transactions(t, s, id))
}

func TestWebhookAnswersTellWhetherARetryCanHelp(t *testing.T) {
	s := newTestStack(t)
	stranger := providers.Notification{EventID: "evt-x", Kind: providers.EventCaptured, PSPReference: "mock-unknown",
		PaymentReference: "mock-unknown-payment", Amount: providers.Money{CentAmount: 100, CurrencyCode: "EUR"}}
	assert.Equal(t, http.StatusOK, deliverEvents(t, s, stranger).Code, "a payment this processor never made: no retry helps")
	odd := stranger
	odd.Kind = "dispute.opened"
	assert.Equal(t, http.StatusOK, deliverEvents(t, s, odd).Code, "an event of no concern")
	signedJunk := []byte("not json")
	assert.Equal(t, http.StatusOK, deliver(t, s, http.Header{mockpsp.SignatureHeader: {mockpsp.Sign(mockpsp.DefaultWebhookSecret, time.Now(), signedJunk)}}, signedJunk).Code)

	id := unknownOutcome(t, s, 2000)
	s.ct.Faults(t, map[string]any{"method": "GET", "path": "/payments", "status": 503, "times": 100000})
	rec := deliverEvents(t, s, s.psp.Outbox()...)
	assert.Equal(t, http.StatusServiceUnavailable, rec.Code, "commercetools is down: the provider must deliver again")
	s.ct.ClearFaults(t)
	assert.Equal(t, []string{"Authorization Initial 2000"}, transactions(t, s, id))
	assert.Equal(t, http.StatusOK, deliverEvents(t, s, s.psp.Outbox()...).Code)
	assert.Equal(t, []string{"Authorization Success 2000"}, transactions(t, s, id))
}

// A storm: 100 deliveries of the same 10 events, shuffled and all at once, the first
// reads held until 30 have arrived so duplicates race each other.
func TestWebhookStormRecordsEachTransactionOnce(t *testing.T) {
	s := newTestStack(t)
	var ids []string
	for range 6 {
		ids = append(ids, unknownOutcome(t, s, 1000))
	}
	captured := []string{authorized(t, s, 3000), authorized(t, s, 3000)}
	token := s.ct.Token(t, "manage_checkout_payment_intents:"+testenv.ProjectKey, 600)
	for _, id := range captured {
		s.pspCalls.LoseAnswers(1)
		req := jsonRequest("POST", "/operations/payment-intents/"+id, `{"actions":[`+capture(1200, "")+`]}`)
		req.Header.Set("Authorization", "Bearer "+token)
		require.Equal(t, http.StatusBadGateway, serve(t, s.engine, req).Code)
	}
	var events []providers.Notification
	for _, e := range s.psp.Outbox() {
		if e.Kind == providers.EventAuthorized && slices.Contains(ids, e.MerchantReference) || e.Kind == providers.EventCaptured {
			events = append(events, e)
		}
	}
	charged := []string{authorized(t, s, 500), authorized(t, s, 500)}
	for i, id := range charged {
		events = append(events, providers.Notification{EventID: "evt-cb-" + id, Kind: providers.EventChargeback, PSPReference: "cb-" + id,
			PaymentReference: getPayment(t, s, id).InterfaceID, Amount: providers.Money{CentAmount: int64(100 * (i + 1)), CurrencyCode: "EUR"}})
	}
	require.Len(t, events, 10)

	rng := rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), 7))
	var deliveries []*http.Request
	for i := range 100 {
		header, body := s.psp.Webhook(events[i%10])
		req := httptest.NewRequest("POST", "/notifications", bytes.NewReader(body))
		req.Header = header
		deliveries = append(deliveries, req)
	}
	rng.Shuffle(len(deliveries), func(i, j int) { deliveries[i], deliveries[j] = deliveries[j], deliveries[i] })
	s.ct.Gate("GET /"+testenv.ProjectKey+"/payments", 30)
	answers := race(t, len(deliveries), []http.Handler{s.engine}, func(i int) *http.Request { return deliveries[i] })
	assert.Equal(t, map[string]int{"200": 100}, codes(t, answers))

	for _, id := range ids {
		assert.Equal(t, []string{"Authorization Success 1000"}, transactions(t, s, id))
	}
	for _, id := range captured {
		assert.Equal(t, []string{"Authorization Success 3000", "Charge Success 1200"}, transactions(t, s, id))
	}
	for i, id := range charged {
		assert.Equal(t, []string{"Authorization Success 500", "Chargeback Success " + []string{"100", "200"}[i]}, transactions(t, s, id),
			"money the payment did not show is added, once")
	}
	checkLedger(t, s.ct, true, &s.pspCalls.Calls, &s.cardCalls.Calls)
}

// commercetools fails between the PSP's answer and the settle; after the fault clears the
// PSP's webhook finishes the payment, and the PSP was asked once.
func TestWebhookFinishesWhatCommercetoolsDidNotTake(t *testing.T) {
	s := newTestStackWith(t, stackOptions{budget: testBudget})
	checkout := s.ct.NewCheckout(t, 2200, "", commercetools.SessionMetadata{})
	s.ct.Faults(t, settleFails["503 every time"])
	rec := pay(t, s, checkout.SessionID, `{"paymentMethod":{"type":"card"},"paymentOutcome":"Authorized"}`, "")
	require.Equal(t, http.StatusServiceUnavailable, rec.Code)
	id := paymentRef(t, rec)
	assert.Equal(t, http.StatusServiceUnavailable, deliverEvents(t, s, s.psp.Outbox()...).Code, "still down: deliver again later")
	s.ct.ClearFaults(t)

	assert.Equal(t, http.StatusOK, deliverEvents(t, s, s.psp.Outbox()...).Code)
	assert.Equal(t, []string{"Authorization Success 2200"}, transactions(t, s, id))
	assert.Equal(t, 1, s.pspCalls.Count("Authorize"))
	assert.Equal(t, 1, s.pspCalls.MaxPerKey("Authorize"))
	checkLedger(t, s.ct, true, &s.pspCalls.Calls, &s.cardCalls.Calls)
}
