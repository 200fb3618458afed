package payments

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/checkout-connect/go-connector/commercetools"
	"github.com/checkout-connect/go-connector/internal/auth"
	"github.com/checkout-connect/go-connector/internal/testenv"
	"github.com/checkout-connect/go-connector/providers/mockgiftcard"
	"github.com/checkout-connect/go-connector/providers/mockpsp"
	"github.com/checkout-connect/go-connector/providers/registry"
)

// engine is a Service over the emulator, with counted mock providers and a test clock.
type engine struct {
	*Service
	ct    *testenv.Commercetools
	psp   *testenv.PSP
	mock  *mockpsp.PSP
	clock *testenv.Clock
}

func newEngine(t testing.TB, ct *testenv.Commercetools, psp *testenv.PSP) *engine {
	t.Helper()
	return newEngineWith(t, engineOptions{ct: ct, psp: psp})
}

// engineOptions tune newEngineWith.
type engineOptions struct {
	ct  *testenv.Commercetools
	psp *testenv.PSP
	// log receives the engine's logs (discarded when nil).
	log *slog.Logger
	// tweak changes the configuration last.
	tweak func(*Config)
}

func newEngineWith(t testing.TB, o engineOptions) *engine {
	t.Helper()
	if o.ct == nil {
		o.ct = testenv.Start(t)
	}
	if o.psp == nil {
		o.psp = testenv.NewPSP(mockpsp.New())
	}
	if o.log == nil {
		o.log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	clock := testenv.NewClock(time.Now())
	cfg := Config{PurchaseOrderTypeKey: "po", Budget: time.Second, Now: clock.Now}
	if o.tweak != nil {
		o.tweak(&cfg)
	}
	s, err := New(o.ct.Client, registry.PSP{Provider: o.psp, Interface: mockpsp.Name, DisplayName: "mock"},
		&registry.GiftCards{Provider: testenv.NewGiftCards(mockgiftcard.New("EUR")), Interface: mockgiftcard.Name},
		cfg, o.log)
	require.NoError(t, err)
	mock, _ := o.psp.Inner().(*mockpsp.PSP)
	return &engine{Service: s, ct: o.ct, psp: o.psp, mock: mock, clock: clock}
}

func (e *engine) session(t testing.TB, cents int64) *auth.Session {
	t.Helper()
	checkout := e.ct.NewCheckout(t, cents, "", commercetools.SessionMetadata{})
	return &auth.Session{ID: checkout.SessionID, CartID: checkout.Cart.ID}
}

func card() PaymentRequest {
	return PaymentRequest{Type: "card", Data: map[string]string{"paymentOutcome": "Authorized"}}
}

func kindOf(err error) Kind {
	var e *Error
	if errors.As(err, &e) {
		return e.Kind
	}
	return 0
}

func states(t *testing.T, e *engine, id string) []string {
	t.Helper()
	p, err := e.ct.Client.GetPayment(context.Background(), id)
	require.NoError(t, err)
	var out []string
	for _, tx := range p.Transactions {
		out = append(out, tx.Type+" "+tx.State)
	}
	return out
}

// unsettledPayment pays a new cart while every payment update fails, so the PSP approves
// and commercetools keeps the authorization Initial.
func unsettledPayment(t *testing.T, e *engine) string {
	t.Helper()
	session := e.session(t, 2000)
	e.ct.Faults(t, map[string]any{"method": "POST", "path": "/payments/", "status": 503, "times": 100000})
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	_, err := e.CreatePayment(ctx, session, card())
	require.Equal(t, KindOutcomePending, kindOf(err), "%v", err)
	e.ct.ClearFaults(t)
	return err.(*Error).Extra["paymentReference"].(string)
}

func TestReconcilerSettlesWhatTheProviderAnswered(t *testing.T) {
	e := newEngine(t, nil, nil)
	id := unsettledPayment(t, e)
	assert.Equal(t, []string{"Authorization Initial"}, states(t, e, id))

	report, err := e.Reconcile(context.Background())
	require.NoError(t, err)
	assert.Equal(t, ReconcileReport{}, report, "younger than RECONCILE_AFTER: untouched")

	e.clock.Advance(2*time.Minute + time.Second)
	e.mock.SetAvailable(false)
	report, err = e.Reconcile(context.Background())
	require.NoError(t, err)
	assert.Equal(t, ReconcileReport{Examined: 1, Left: 1}, report, "a lookup that fails decides nothing")
	assert.Equal(t, []string{"Authorization Initial"}, states(t, e, id))

	e.mock.SetAvailable(true)
	report, err = e.Reconcile(context.Background())
	require.NoError(t, err)
	assert.Equal(t, ReconcileReport{Examined: 1, Settled: 1}, report)
	assert.Equal(t, []string{"Authorization Success"}, states(t, e, id))
	assert.Equal(t, 1, e.psp.Count("Authorize"), "authorized once")

	report, err = e.Reconcile(context.Background())
	require.NoError(t, err)
	assert.Equal(t, ReconcileReport{}, report, "settled transactions are never looked at again")
}

func TestReconcilerFailsOnlyWhatTheProviderNeverSaw(t *testing.T) {
	e := newEngine(t, nil, nil)
	session := e.session(t, 2000)
	ctx := context.Background()
	attempt := func(key string) *commercetools.Payment {
		p, _, err := e.ct.Client.CreatePayment(ctx, commercetools.PaymentDraft{
			Key: key, AmountPlanned: eur(2000),
			PaymentMethodInfo: &commercetools.PaymentMethodInfo{PaymentInterface: mockpsp.Name, Method: "card"},
			Transactions: []commercetools.TransactionDraft{{Type: commercetools.TransactionAuthorization, Amount: eur(2000),
				State: commercetools.StateInitial, InteractionID: key + "_auth", Timestamp: e.stamp()}},
		})
		require.NoError(t, err)
		return p
	}
	held := attempt("pay_x_000000000000_000000000001")
	cart, err := e.ct.Client.GetCart(ctx, session.CartID)
	require.NoError(t, err)
	_, err = e.ct.Client.AddPayment(ctx, cart, held.ID)
	require.NoError(t, err)
	loose := attempt("pay_x_000000000000_000000000002")

	_, err = e.CreatePayment(ctx, session, card())
	assert.Equal(t, KindInProgress, kindOf(err), "the stale attempt holds the cart")

	e.clock.Advance(3 * time.Minute)
	report, err := e.Reconcile(ctx)
	require.NoError(t, err)
	assert.Equal(t, ReconcileReport{Examined: 2, Failed: 2, Pruned: 1}, report)
	assert.Equal(t, []string{"Authorization Failure"}, states(t, e, held.ID), "a cart's payment stays, failed")
	_, err = e.ct.Client.GetPayment(ctx, loose.ID)
	assert.True(t, commercetools.IsNotFound(err), "a dead attempt no cart holds is deleted")
	assert.Equal(t, 0, e.psp.Count("Authorize"), "the reconciler never moves money")

	out, err := e.CreatePayment(ctx, session, card())
	require.NoError(t, err, "the cart it held is free again")
	assert.Equal(t, []string{"Authorization Success"}, states(t, e, out.PaymentID))
}

func TestReconcilersOnManyReplicasAgree(t *testing.T) {
	first := newEngine(t, nil, nil)
	second := newEngine(t, first.ct, first.psp)
	var ids []string
	for range 5 {
		ids = append(ids, unsettledPayment(t, first))
	}
	first.clock.Advance(3 * time.Minute)
	second.clock.Advance(3 * time.Minute)
	first.ct.Gate("GET /"+testenv.ProjectKey+"/payments", 2)
	var wg sync.WaitGroup
	reports := make([]ReconcileReport, 2)
	for i, e := range []*engine{first, second} {
		wg.Go(func() {
			r, err := e.Reconcile(context.Background())
			assert.NoError(t, err)
			reports[i] = r
		})
	}
	wg.Wait()
	for _, r := range reports {
		assert.Equal(t, ReconcileReport{Examined: 5, Settled: 5}, r, "both read the same page and agree on every outcome")
	}
	for _, id := range ids {
		assert.Equal(t, []string{"Authorization Success"}, states(t, first, id))
	}
	assert.Equal(t, 5, first.psp.Count("Authorize"))
}

func TestRunReconcilerSettlesInTheBackground(t *testing.T) {
	ids := make(chan string, 10)
	e := newEngineWith(t, engineOptions{log: slog.New(settledSignal{ids: ids}), tweak: func(c *Config) {
		c.Now, c.ReconcileAfter = time.Now, time.Millisecond
	}})
	session := e.session(t, 1000)
	e.psp.LoseAnswers(1)
	_, err := e.CreatePayment(context.Background(), session, card())
	require.Equal(t, KindOutcomePending, kindOf(err))
	id := err.(*Error).Extra["paymentReference"].(string)

	ctx, stop := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { e.RunReconciler(ctx, 10*time.Millisecond); close(done) }()
	select {
	case settled := <-ids:
		assert.Equal(t, id, settled)
	case <-time.After(20 * time.Second):
		t.Fatal("the reconciler never settled the payment")
	}
	stop()
	<-done
	assert.Equal(t, []string{"Authorization Success"}, states(t, e, id))
}

func TestFindTransactionByKeyOrProviderReference(t *testing.T) {
	e := newEngine(t, nil, nil)
	ctx := context.Background()
	out, err := e.CreatePayment(ctx, e.session(t, 1500), card())
	require.NoError(t, err)
	p, err := e.ct.Client.GetPayment(ctx, out.PaymentID)
	require.NoError(t, err)
	auth := p.Transactions[0]
	require.NotEmpty(t, auth.InterfaceID, "the PSP's reference is on the transaction")
	assert.Equal(t, auth.InterfaceID, p.InterfaceID, "and on the payment")
	assert.Equal(t, p.Key+"_auth", auth.InteractionID, "the interaction id is the attempt's key")

	for _, ref := range []string{auth.InteractionID, auth.InterfaceID} {
		found, tx, err := e.FindTransaction(ctx, ref)
		require.NoError(t, err, ref)
		assert.Equal(t, p.ID, found.ID, ref)
		assert.Equal(t, auth.ID, tx.ID, ref)
	}
	_, _, err = e.FindTransaction(ctx, `nobody's "reference"`)
	assert.Equal(t, KindNotFound, kindOf(err))
}
