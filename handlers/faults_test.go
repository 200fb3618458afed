package handlers

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/checkout-connect/go-connector/commercetools"
	"github.com/checkout-connect/go-connector/internal/testenv"
)

// testBudget is the request budget of the fault tests: short, so that a test waits for
// it in well under a second.
const testBudget = 800 * time.Millisecond

// settleFails are faults on every payment update: the PSP is asked, its answer cannot be
// recorded.
var settleFails = map[string]map[string]any{
	"503 every time":          {"method": "POST", "path": "/payments/", "status": 503, "times": 100000},
	"latency past the budget": {"method": "POST", "path": "/payments/", "latencyMs": 2000, "times": 100000},
}

func TestAnswerLostAfterTheSettleIsFoundByReading(t *testing.T) {
	s := newTestStackWith(t, stackOptions{budget: testBudget})
	checkout := s.ct.NewCheckout(t, 3000, "", commercetools.SessionMetadata{})
	s.ct.Faults(t, map[string]any{"method": "POST", "path": "/payments/", "status": 503, "times": 100000, "afterWrite": true})
	id := paymentReference(t, pay(t, s, checkout.SessionID, `{"paymentMethod":{"type":"card"},"paymentOutcome":"Authorized"}`, ""))
	s.ct.ClearFaults(t)
	assert.Equal(t, []string{"Authorization Success 3000"}, transactions(t, s, id), "the write took place; reading shows it")
	assert.Equal(t, 1, s.pspCalls.Count("Authorize"))
	checkLedger(t, s.ct, true, &s.pspCalls.Calls, &s.cardCalls.Calls)
}

func TestPSPApprovesButTheAnswerCannotBeRecorded(t *testing.T) {
	for name, rule := range settleFails {
		t.Run(name, func(t *testing.T) {
			clock := testenv.NewClock(time.Now())
			s := newTestStackWith(t, stackOptions{clock: clock, budget: testBudget})
			checkout := s.ct.NewCheckout(t, 3000, "", commercetools.SessionMetadata{})
			s.ct.Faults(t, rule)

			started := time.Now()
			rec := pay(t, s, checkout.SessionID, `{"paymentMethod":{"type":"card"},"paymentOutcome":"Authorized"}`, "k-1")
			elapsed := time.Since(started)
			assert.Equal(t, http.StatusServiceUnavailable, rec.Code, rec.Body.String())
			assert.Equal(t, "PaymentOutcomePending", decodeError(t, rec).Errors[0]["code"], "never 'nothing was charged'")
			assert.NotEmpty(t, rec.Header().Get("Retry-After"))
			assert.Less(t, elapsed, testBudget+time.Second, "answered within the budget (%s)", elapsed)
			id := paymentRef(t, rec)
			assert.Equal(t, 1, s.pspCalls.Count("Authorize"))
			checkLedger(t, s.ct, false, &s.pspCalls.Calls, &s.cardCalls.Calls)

			s.ct.ClearFaults(t)
			report, err := s.flows.Reconcile(context.Background())
			require.NoError(t, err)
			assert.Equal(t, 0, report.Examined, "too young for the reconciler")

			clock.Advance(3 * time.Minute)
			report, err = s.flows.Reconcile(context.Background())
			require.NoError(t, err)
			assert.Equal(t, 1, report.Settled, "%+v", report)
			assert.Equal(t, []string{"Authorization Success 3000"}, transactions(t, s, id))
			assert.Equal(t, 1, s.pspCalls.Count("Authorize"), "the PSP authorized once")
			assert.Equal(t, 1, s.pspCalls.Count("Lookup"))
			assert.Equal(t, []string{id}, getCart(t, s, checkout.Cart.ID).PaymentIDs())
			checkLedger(t, s.ct, true, &s.pspCalls.Calls, &s.cardCalls.Calls)

			// A repeat now answers the settled payment and asks nobody.
			assert.Equal(t, id, paymentReference(t, pay(t, s, checkout.SessionID, `{"paymentMethod":{"type":"card"},"paymentOutcome":"Authorized"}`, "k-1")))
			assert.Equal(t, 1, s.pspCalls.Count("Authorize"))
		})
	}
}

func TestOutcomeNotRecordedIsFinishedByTheRepeat(t *testing.T) {
	clock := testenv.NewClock(time.Now())
	s := newTestStackWith(t, stackOptions{clock: clock, budget: testBudget})
	checkout := s.ct.NewCheckout(t, 3000, "", commercetools.SessionMetadata{})
	s.ct.Faults(t, settleFails["503 every time"])
	rec := pay(t, s, checkout.SessionID, `{"paymentMethod":{"type":"card"},"paymentOutcome":"Authorized"}`, "")
	require.Equal(t, http.StatusServiceUnavailable, rec.Code)
	s.ct.ClearFaults(t)

	rec = pay(t, s, checkout.SessionID, `{"paymentMethod":{"type":"card"},"paymentOutcome":"Authorized"}`, "")
	assert.Equal(t, http.StatusConflict, rec.Code, "while the first request may still run")
	clock.Advance(testBudget)
	id := paymentReference(t, pay(t, s, checkout.SessionID, `{"paymentMethod":{"type":"card"},"paymentOutcome":"Authorized"}`, ""))
	assert.Equal(t, []string{"Authorization Success 3000"}, transactions(t, s, id))
	assert.Equal(t, 1, s.pspCalls.Count("Authorize"), "the repeat found the PSP's answer by lookup")
	checkLedger(t, s.ct, true, &s.pspCalls.Calls, &s.cardCalls.Calls)
}

func TestConflictsThatNeverEndAreA503WithNothingLeft(t *testing.T) {
	for name, rule := range map[string]map[string]any{
		"409 on create": {"method": "POST", "path": "/payments", "status": 409, "times": 100000},
		"409 on attach": {"method": "POST", "path": "/carts/", "status": 409, "times": 100000},
		"503 on attach": {"method": "POST", "path": "/carts/", "status": 503, "times": 100000},
	} {
		t.Run(name, func(t *testing.T) {
			s := newTestStackWith(t, stackOptions{budget: 5 * time.Second})
			checkout := s.ct.NewCheckout(t, 3000, "", commercetools.SessionMetadata{})
			s.ct.Faults(t, rule)
			rec := pay(t, s, checkout.SessionID, `{"paymentMethod":{"type":"card"}}`, "")
			assert.Equal(t, http.StatusServiceUnavailable, rec.Code, rec.Body.String())
			assert.Equal(t, "ServiceUnavailable", decodeError(t, rec).Errors[0]["code"])
			s.ct.ClearFaults(t)
			assert.Equal(t, 0, paymentsOfProject(t, s), "nothing orphaned")
			assert.Equal(t, 0, s.pspCalls.Count("Authorize"), "no money moved")
			assert.Empty(t, getCart(t, s, checkout.Cart.ID).PaymentIDs())
		})
	}
}

func TestExpiredSessionIsRefusedAtOnceWhereMoneyMoves(t *testing.T) {
	s := newTestStack(t)
	checkout := s.ct.NewCheckout(t, 3000, "", commercetools.SessionMetadata{})
	config := jsonRequest("GET", "/operations/config", "")
	config.Header.Set("x-session-id", checkout.SessionID)
	require.Equal(t, http.StatusOK, serve(t, s.engine, config).Code, "the session is cached now")

	s.ct.ExpireSession(t, checkout.SessionID)
	rec := pay(t, s, checkout.SessionID, `{"paymentMethod":{"type":"card"}}`, "")
	assert.Equal(t, http.StatusUnauthorized, rec.Code)
	rec = redeem(t, s, checkout.SessionID, "Valid-3000-EUR", 1000, "EUR")
	assert.Equal(t, http.StatusUnauthorized, rec.Code)
	assert.Equal(t, 0, paymentsOfProject(t, s))
	assert.Equal(t, 0, s.pspCalls.Count("Authorize")+s.cardCalls.Count("Redeem"))
}

func TestCommercetoolsCallsOfAPaymentAndACapture(t *testing.T) {
	s := newTestStack(t)
	checkout := s.ct.NewCheckout(t, 3000, "", commercetools.SessionMetadata{})
	_, err := s.ct.Client.GrantedScopes(context.Background()) // the API token, fetched once per process
	require.NoError(t, err)
	before := s.ct.Requests("")
	id := paymentReference(t, pay(t, s, checkout.SessionID, `{"paymentMethod":{"type":"card"}}`, ""))
	assert.Equal(t, 5, s.ct.Requests("")-before, "session, cart, create, attach, settle")
	assert.Equal(t, 1, s.pspCalls.Count("Authorize"))

	token := s.ct.Token(t, "manage_checkout_payment_intents:"+testenv.ProjectKey, 600)
	req := jsonRequest("POST", "/operations/payment-intents/"+id, `{"actions":[`+capture(1000, "")+`]}`)
	req.Header.Set("Authorization", "Bearer "+token)
	serve(t, s.engine, req) // introspects the token once
	before = s.ct.Requests("")
	req = jsonRequest("POST", "/operations/payment-intents/"+id, `{"actions":[`+capture(1000, "")+`]}`)
	req.Header.Set("Authorization", "Bearer "+token)
	assert.Equal(t, "approved", outcome(t, serve(t, s.engine, req)))
	assert.Equal(t, 3, s.ct.Requests("")-before, "read, record, settle")
	assert.Equal(t, 2, s.pspCalls.Count("Capture"))
}

func TestAKeyIsBoundToItsFirstRequest(t *testing.T) {
	s := newTestStack(t)
	checkout := s.ct.NewCheckout(t, 3000, "", commercetools.SessionMetadata{})
	id := paymentReference(t, pay(t, s, checkout.SessionID, `{"paymentMethod":{"type":"card"},"paymentOutcome":"Authorized"}`, "order-7"))
	rec := pay(t, s, checkout.SessionID, `{"paymentMethod":{"type":"invoice"},"paymentOutcome":"Authorized"}`, "order-7")
	assert.Equal(t, http.StatusUnprocessableEntity, rec.Code)
	assert.Equal(t, "IdempotencyKeyReused", decodeError(t, rec).Errors[0]["code"])
	assert.Equal(t, id, paymentReference(t, pay(t, s, checkout.SessionID, `{"paymentMethod":{"type":"card"},"paymentOutcome":"Authorized"}`, "order-7")),
		"the first request under the key still answers")

	assert.Equal(t, "approved", outcome(t, intent(t, s, id, capture(1000, "cap-1"))))
	rec = intent(t, s, id, capture(2000, "cap-1"))
	assert.Equal(t, http.StatusUnprocessableEntity, rec.Code, "a merchantReference names one operation")
	assert.Equal(t, "approved", outcome(t, intent(t, s, id, capture(1000, "cap-1"))))
	assert.Equal(t, 1, s.pspCalls.Count("Capture"))
	assert.Equal(t, 1, s.pspCalls.Count("Authorize"))
	checkLedger(t, s.ct, true, &s.pspCalls.Calls, &s.cardCalls.Calls)
}
