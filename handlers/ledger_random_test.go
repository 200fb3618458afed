package handlers

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"os"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/checkout-connect/go-connector/commercetools"
	"github.com/checkout-connect/go-connector/internal/testenv"
)

// TestRandomLedger runs random concurrent payments, redemptions, captures, refunds,
// cancellations and reversals against random injected faults (commercetools errors and
// latency, provider answers lost after the provider acted), then one reconciler pass,
// and holds the ledger oracle to every run. A failing run names its seed:
// LEDGER_SEED=<seed> LEDGER_RUNS=1 go test -run TestRandomLedger ./handlers/ replays its
// plan (the interleaving is the scheduler's).
func TestRandomLedger(t *testing.T) {
	seed := uint64(time.Now().UnixNano())
	if v := os.Getenv("LEDGER_SEED"); v != "" {
		var err error
		seed, err = strconv.ParseUint(v, 10, 64)
		require.NoError(t, err)
	}
	runs := 12
	if v := os.Getenv("LEDGER_RUNS"); v != "" {
		var err error
		runs, err = strconv.Atoi(v)
		require.NoError(t, err)
	}
	for i := range runs {
		runSeed := seed + uint64(i)
		t.Run(fmt.Sprint(runSeed), func(t *testing.T) {
			defer func() {
				if t.Failed() {
					t.Logf("replay with LEDGER_SEED=%d LEDGER_RUNS=1", runSeed)
				}
			}()
			randomLedgerRun(t, rand.New(rand.NewPCG(runSeed, runSeed^0x9e3779b97f4a7c15)))
		})
	}
}

// randomFaults are the faults a run draws from.
var randomFaults = []map[string]any{
	{"method": "POST", "path": "/payments/", "status": 503},                     // a settle or a record fails
	{"method": "POST", "path": "/payments/", "status": 503, "afterWrite": true}, // ... after it took place
	{"method": "POST", "path": "/payments", "status": 409},                      // create conflicts
	{"method": "POST", "path": "/carts/", "status": 409},                        // the claim conflicts
	{"method": "POST", "path": "/carts/", "status": 503, "afterWrite": true},    // the claim's answer is lost
	{"method": "GET", "path": "/carts/", "status": 503},                         // a read fails
	{"method": "GET", "path": "/payments/", "latencyMs": 30},                    // reads are slow
}

func randomLedgerRun(t *testing.T, rng *rand.Rand) {
	clock := testenv.NewClock(time.Now())
	s := newTestStackWith(t, stackOptions{clock: clock, budget: 600 * time.Millisecond})
	checkouts := []testenv.Checkout{
		s.ct.NewCheckout(t, 1000+rng.Int64N(8000), "", commercetools.SessionMetadata{}),
		s.ct.NewCheckout(t, 1000+rng.Int64N(8000), "", commercetools.SessionMetadata{}),
	}
	token := s.ct.Token(t, "manage_checkout_payment_intents:"+testenv.ProjectKey, 600)
	for range rng.IntN(3) {
		rule := map[string]any{"times": 1 + rng.IntN(3)}
		for k, v := range randomFaults[rng.IntN(len(randomFaults))] {
			rule[k] = v
		}
		s.ct.Faults(t, rule)
	}
	if rng.IntN(2) == 0 {
		s.pspCalls.LoseAnswers(1 + rng.IntN(2))
	}
	if rng.IntN(2) == 0 {
		s.cardCalls.LoseAnswers(1)
	}

	// Phase one: shoppers pay and redeem, several at once on each cart.
	var requests []*http.Request
	for range 3 + rng.IntN(6) {
		c := checkouts[rng.IntN(len(checkouts))]
		if rng.IntN(3) == 0 {
			requests = append(requests, redeemRequest(c.SessionID, fmt.Sprintf("Valid-%d-EUR", 500+rng.IntN(5000)), 1+rng.Int64N(4000)))
			continue
		}
		key := ""
		if rng.IntN(2) == 0 {
			key = fmt.Sprintf("k%d", rng.IntN(3))
		}
		outcome := []string{"Authorized", "Authorized", "Rejected"}[rng.IntN(3)]
		requests = append(requests, payRequest(c.SessionID, `{"paymentMethod":{"type":"card"},"paymentOutcome":"`+outcome+`"}`, key))
	}
	concurrently(t, s, requests)

	// Phase two: the merchant captures, refunds, cancels and reverses, several at once.
	requests = nil
	for _, p := range allPayments(t, s.ct) {
		for range rng.IntN(4) {
			action := []string{
				capture(1+rng.IntN(int(p.AmountPlanned.CentAmount)), ""),
				capture(1+rng.IntN(int(p.AmountPlanned.CentAmount)), "m"+strconv.Itoa(rng.IntN(2))),
				refund(1 + rng.IntN(int(p.AmountPlanned.CentAmount))),
				`{"action":"cancelPayment"}`,
				`{"action":"reversePayment"}`,
			}[rng.IntN(5)]
			req := jsonRequest("POST", "/operations/payment-intents/"+p.ID, `{"actions":[`+action+`]}`)
			req.Header.Set("Authorization", "Bearer "+token)
			requests = append(requests, req)
		}
	}
	concurrently(t, s, requests)
	checkLedger(t, s.ct, false, &s.pspCalls.Calls, &s.cardCalls.Calls)

	// Faults clear; once the reconciler has run nothing is left open.
	s.ct.ClearFaults(t)
	s.pspCalls.LoseAnswers(0)
	s.cardCalls.LoseAnswers(0)
	clock.Advance(3 * time.Minute)
	_, err := s.flows.Reconcile(context.Background())
	require.NoError(t, err)
	checkLedger(t, s.ct, true, &s.pspCalls.Calls, &s.cardCalls.Calls)
}

// concurrently serves the requests at once; none may be answered with a 500.
func concurrently(t *testing.T, s *stack, requests []*http.Request) {
	var wg sync.WaitGroup
	for _, req := range requests {
		wg.Go(func() {
			rec := httptest.NewRecorder()
			s.engine.ServeHTTP(rec, req)
			if rec.Code == http.StatusInternalServerError {
				t.Errorf("%s %s answered 500: %s", req.Method, req.URL.Path, rec.Body.String())
			}
		})
	}
	wg.Wait()
}
