package handlers

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/checkout-connect/go-connector/commercetools"
	"github.com/checkout-connect/go-connector/internal/contracttest"
	"github.com/checkout-connect/go-connector/internal/testenv"
)

// Races are forced, not hoped for: a gate in front of the emulator holds the racers' first
// read until every racer has made it, so all of them check the same version of the cart
// or payment, every run.

// served is one racer's request and answer.
type served struct {
	req  *http.Request
	body []byte
	rec  *httptest.ResponseRecorder
}

// race sends n requests at once, request i to engines[i%len(engines)], and checks every
// answer against the contract once all are in. held, when set, are provider doubles whose
// money-moving calls wait until every other racer has been answered, so that the winner
// is still in flight while the losers decide.
func race(t *testing.T, n int, engines []http.Handler, request func(i int) *http.Request, held ...*testenv.Calls) []served {
	t.Helper()
	out := make([]served, n)
	for i := range out {
		req := request(i)
		body, err := io.ReadAll(req.Body)
		require.NoError(t, err)
		req.Body = io.NopCloser(bytes.NewReader(body))
		out[i] = served{req: req, body: body, rec: httptest.NewRecorder()}
	}
	var (
		mu       sync.Mutex
		answered int
		holding  = len(held) > 0
		losers   = make(chan struct{})
	)
	for _, h := range held {
		h.Before(func(method string) {
			if method == "Lookup" || method == "Balance" {
				return
			}
			mu.Lock()
			wait := holding
			holding = false // only the first mover is held
			mu.Unlock()
			if wait {
				select {
				case <-losers:
				case <-time.After(gateTimeout):
					t.Errorf("race: the other %d racers were not answered while the winner was held", n-1)
				}
			}
		})
	}
	var wg sync.WaitGroup
	for i := range out {
		wg.Go(func() {
			engines[i%len(engines)].ServeHTTP(out[i].rec, out[i].req)
			mu.Lock()
			answered++
			if answered == n-1 && len(held) > 0 {
				close(losers)
			}
			mu.Unlock()
		})
	}
	wg.Wait()
	for _, h := range held {
		h.Before(nil)
	}
	for _, s := range out {
		check := s.req.Clone(s.req.Context())
		check.Body = io.NopCloser(bytes.NewReader(s.body))
		contracttest.CheckResponse(t, check, s.rec.Code, s.rec.Header(), s.rec.Body.Bytes())
	}
	return out
}

// codes tallies the answers: "200", or "409 PaymentInProgress" for errors.
func codes(t *testing.T, answers []served) map[string]int {
	t.Helper()
	out := map[string]int{}
	for _, a := range answers {
		key := fmt.Sprint(a.rec.Code)
		if a.rec.Code >= 300 {
			key += " " + decodeError(t, a.rec).Errors[0]["code"].(string)
			if a.rec.Code == http.StatusConflict {
				assert.NotEmpty(t, a.rec.Header().Get("Retry-After"), "a 409 tells when to repeat")
			}
		}
		out[key]++
	}
	return out
}

func payRequest(sessionID, body, key string) *http.Request {
	req := jsonRequest("POST", "/payments", body)
	req.Header.Set("x-session-id", sessionID)
	if key != "" {
		req.Header.Set("Idempotency-Key", key)
	}
	return req
}

func redeemRequest(sessionID, code string, cents int64) *http.Request {
	req := jsonRequest("POST", "/redeem", fmt.Sprintf(`{"code":%q,"redeemAmount":{"centAmount":%d,"currencyCode":"EUR"}}`, code, cents))
	req.Header.Set("x-session-id", sessionID)
	return req
}

// gateTimeout ends a wait for racers that never come: the test fails instead of hanging.
const gateTimeout = 20 * time.Second

// cartReads is the gate prefix of reads of carts.
const cartReads = "GET /" + testenv.ProjectKey + "/carts/"

// paymentReads is the gate prefix of reads of payments.
const paymentReads = "GET /" + testenv.ProjectKey + "/payments/"

func TestParallelPaymentsOfOneCartAuthorizeOnce(t *testing.T) {
	for _, tc := range []struct {
		name string
		key  func(i int) string
	}{
		{"without Idempotency-Key", func(int) string { return "" }},
		{"with a different key each", func(i int) string { return fmt.Sprintf("tab-%d", i) }},
		{"with one key", func(int) string { return "double-click" }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := newTestStack(t)
			checkout := s.ct.NewCheckout(t, 5000, "", commercetools.SessionMetadata{})
			const racers = 10
			s.ct.Gate(cartReads, racers)
			answers := race(t, racers, []http.Handler{s.engine}, func(i int) *http.Request {
				return payRequest(checkout.SessionID, `{"paymentMethod":{"type":"card"},"paymentOutcome":"Authorized"}`, tc.key(i))
			}, &s.pspCalls.Calls)
			got := codes(t, answers)
			assert.Equal(t, 1, got["200"], "%v", got)
			assert.Equal(t, racers-1, got["409 PaymentInProgress"], "%v", got)
			assert.Equal(t, 1, s.pspCalls.Count("Authorize"), "the PSP is asked once")
			cart := getCart(t, s, checkout.Cart.ID)
			require.Len(t, cart.PaymentIDs(), 1)
			assert.Equal(t, []string{"Authorization Success 5000"}, transactions(t, s, cart.PaymentIDs()[0]))
			assert.Equal(t, 1, paymentsOfProject(t, s), "the losers' payments are gone")
			checkLedger(t, s.ct, true, &s.pspCalls.Calls, &s.cardCalls.Calls)

			// The same request once the first is paid answers the first payment.
			if tc.key(0) != "tab-0" {
				again := pay(t, s, checkout.SessionID, `{"paymentMethod":{"type":"card"},"paymentOutcome":"Authorized"}`, tc.key(0))
				assert.Equal(t, cart.PaymentIDs()[0], paymentReference(t, again))
				assert.Equal(t, 1, s.pspCalls.Count("Authorize"))
			}
		})
	}
}

func TestGiftCardsAndCardPaymentsShareTheCart(t *testing.T) {
	s := newTestStack(t)
	checkout := s.ct.NewCheckout(t, 4000, "", commercetools.SessionMetadata{})
	const racers = 6
	s.ct.Gate(cartReads, racers)
	answers := race(t, racers, []http.Handler{s.engine}, func(i int) *http.Request {
		if i < 4 {
			return redeemRequest(checkout.SessionID, fmt.Sprintf("Valid-400%d-EUR", i), 4000)
		}
		return payRequest(checkout.SessionID, `{"paymentMethod":{"type":"card"},"paymentOutcome":"Authorized"}`, "")
	}, &s.pspCalls.Calls, &s.cardCalls.Calls)
	got := codes(t, answers)
	assert.Equal(t, 1, got["200"], "%v", got)
	assert.Equal(t, 1, s.pspCalls.Count("Authorize")+s.cardCalls.Count("Redeem"), "one movement of money in all")
	assert.Len(t, getCart(t, s, checkout.Cart.ID).PaymentIDs(), 1)
	checkLedger(t, s.ct, true, &s.pspCalls.Calls, &s.cardCalls.Calls)
}

func TestParallelRedeemsOfOneCardTakeItOnce(t *testing.T) {
	s := newTestStack(t)
	checkout := s.ct.NewCheckout(t, 100000, "", commercetools.SessionMetadata{})
	const racers = 10
	s.ct.Gate(cartReads, racers)
	answers := race(t, racers, []http.Handler{s.engine}, func(int) *http.Request {
		return redeemRequest(checkout.SessionID, "Valid-4000-EUR", 4000)
	}, &s.cardCalls.Calls)
	got := codes(t, answers)
	assert.Equal(t, 1, got["200"], "%v", got)
	assert.Equal(t, racers-1, got["409 PaymentInProgress"], "%v", got)
	assert.Equal(t, 1, s.cardCalls.Count("Redeem"), "the provider is asked once")
	checkLedger(t, s.ct, true, &s.pspCalls.Calls, &s.cardCalls.Calls)
}

func TestParallelCapturesNeverExceedTheAuthorization(t *testing.T) {
	s := newTestStack(t)
	id := authorized(t, s, 5000)
	const racers = 10
	s.ct.Gate(paymentReads, racers)
	token := s.ct.Token(t, "manage_checkout_payment_intents:"+testenv.ProjectKey, 600)
	answers := race(t, racers, []http.Handler{s.engine}, func(int) *http.Request {
		req := jsonRequest("POST", "/operations/payment-intents/"+id, `{"actions":[`+capture(700, "")+`]}`)
		req.Header.Set("Authorization", "Bearer "+token)
		return req
	})
	got := codes(t, answers)
	assert.Equal(t, map[string]int{"200": 7, "400 InvalidOperation": 3}, got)
	assert.Equal(t, 7, s.pspCalls.Count("Capture"), "the PSP is asked only for what fits")
	var charged int64
	for _, tx := range getPayment(t, s, id).Transactions {
		if tx.Type == commercetools.TransactionCharge {
			assert.Equal(t, commercetools.StateSuccess, tx.State)
			charged += tx.Amount.CentAmount
		}
	}
	assert.Equal(t, int64(4900), charged)
	checkLedger(t, s.ct, true, &s.pspCalls.Calls, &s.cardCalls.Calls)
}

func TestParallelRefundsNeverExceedTheCapture(t *testing.T) {
	s := newTestStack(t)
	id := authorized(t, s, 5000)
	outcome(t, intent(t, s, id, capture(5000, "")))
	const racers = 10
	s.ct.Gate(paymentReads, racers)
	token := s.ct.Token(t, "manage_checkout_payment_intents:"+testenv.ProjectKey, 600)
	answers := race(t, racers, []http.Handler{s.engine}, func(int) *http.Request {
		req := jsonRequest("POST", "/operations/payment-intents/"+id, `{"actions":[`+refund(700)+`]}`)
		req.Header.Set("Authorization", "Bearer "+token)
		return req
	})
	assert.Equal(t, map[string]int{"200": 7, "400 InvalidOperation": 3}, codes(t, answers))
	assert.Equal(t, 7, s.pspCalls.Count("Refund"))
	checkLedger(t, s.ct, true, &s.pspCalls.Calls, &s.cardCalls.Calls)
}

func TestReplicasShareNothingButCommercetools(t *testing.T) {
	first := newTestStack(t)
	second := newTestStackWith(t, stackOptions{ct: first.ct, psp: first.pspCalls, cards: first.cardCalls})
	engines := []http.Handler{first.engine, second.engine}
	checkout := first.ct.NewCheckout(t, 5000, "", commercetools.SessionMetadata{})

	const racers = 10
	first.ct.Gate(cartReads, racers)
	answers := race(t, racers, engines, func(i int) *http.Request {
		if i%3 == 0 {
			return redeemRequest(checkout.SessionID, fmt.Sprintf("Valid-500%d-EUR", i), 5000)
		}
		return payRequest(checkout.SessionID, `{"paymentMethod":{"type":"card"},"paymentOutcome":"Authorized"}`, fmt.Sprintf("k-%d", i))
	}, &first.pspCalls.Calls, &first.cardCalls.Calls)
	got := codes(t, answers)
	assert.Equal(t, 1, got["200"], "%v", got)
	assert.Equal(t, 1, first.pspCalls.Count("Authorize")+first.cardCalls.Count("Redeem"), "one movement across both replicas")

	id := first.ct.NewCheckout(t, 5000, "", commercetools.SessionMetadata{})
	payment := paymentReference(t, pay(t, first, id.SessionID, `{"paymentMethod":{"type":"card"}}`, ""))
	first.ct.Gate(paymentReads, racers)
	token := first.ct.Token(t, "manage_checkout_payment_intents:"+testenv.ProjectKey, 600)
	answers = race(t, racers, engines, func(int) *http.Request {
		req := jsonRequest("POST", "/operations/payment-intents/"+payment, `{"actions":[`+capture(700, "")+`]}`)
		req.Header.Set("Authorization", "Bearer "+token)
		return req
	})
	assert.Equal(t, map[string]int{"200": 7, "400 InvalidOperation": 3}, codes(t, answers))
	assert.Equal(t, 7, first.pspCalls.Count("Capture"))
	checkLedger(t, first.ct, true, &first.pspCalls.Calls, &first.cardCalls.Calls)
}

// paymentRef reads paymentReference from an answer, error or not.
func paymentRef(t *testing.T, rec *httptest.ResponseRecorder) string {
	t.Helper()
	var body struct {
		PaymentReference string `json:"paymentReference"`
		Errors           []struct {
			PaymentReference string `json:"paymentReference"`
		} `json:"errors"`
	}
	require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &body))
	if body.PaymentReference != "" {
		return body.PaymentReference
	}
	require.NotEmpty(t, body.Errors)
	return body.Errors[0].PaymentReference
}
