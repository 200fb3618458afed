package commercetools_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/checkout-connect/go-connector/commercetools"
	"github.com/checkout-connect/go-connector/commercetools/emulator"
	"github.com/checkout-connect/go-connector/internal/ctcontract"
	"github.com/checkout-connect/go-connector/internal/testenv"
)

// setup is an emulator served over HTTP and a client of it whose traffic is checked
// against the official commercetools API description.
type setup struct {
	emu      *emulator.Emulator
	server   *httptest.Server
	client   *commercetools.Client
	contract *ctcontract.Transport
	clock    *testenv.Clock
	requests *requestLog
}

// requestLog records the requests the emulator received.
type requestLog struct {
	mu   sync.Mutex
	reqs []*http.Request
}

func (l *requestLog) add(r *http.Request) {
	l.mu.Lock()
	l.reqs = append(l.reqs, r.Clone(context.Background()))
	l.mu.Unlock()
}

// count returns how many requests had the method and path.
func (l *requestLog) count(method, path string) int {
	l.mu.Lock()
	defer l.mu.Unlock()
	n := 0
	for _, r := range l.reqs {
		if r.Method == method && r.URL.Path == path {
			n++
		}
	}
	return n
}

func (l *requestLog) all() []*http.Request {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]*http.Request(nil), l.reqs...)
}

func newSetup(t *testing.T, tweak ...func(*commercetools.Config)) *setup {
	t.Helper()
	clk := testenv.NewClock(time.Date(2026, 11, 21, 10, 0, 0, 0, time.UTC))
	emu, err := emulator.New(emulator.Options{ProjectKey: "test-project", Now: clk.Now})
	require.NoError(t, err)
	log := &requestLog{}
	handler := emu.Handler()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		log.add(r)
		handler.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	contract := ctcontract.NewTransport(t)
	contract.Base = commercetools.NewTransport() // the processor's own
	cfg := commercetools.Config{
		ProjectKey: "test-project", ClientID: emu.ClientID(), ClientSecret: emu.ClientSecret(),
		AuthURL: srv.URL, APIURL: srv.URL, SessionURL: srv.URL + "/",
		Transport: contract, Now: clk.Now, RetryBaseDelay: 2 * time.Millisecond,
	}
	for _, f := range tweak {
		f(&cfg)
	}
	client, err := commercetools.New(cfg)
	require.NoError(t, err)
	return &setup{emu: emu, server: srv, client: client, contract: contract, clock: clk, requests: log}
}

func eur(cents int64) commercetools.Money {
	return commercetools.Money{CurrencyCode: "EUR", CentAmount: cents}
}

// newCart creates a cart of one custom line item costing cents.
func newCart(t *testing.T, c *commercetools.Client, cents int64, customerID string) *commercetools.Cart {
	t.Helper()
	cart, err := c.CreateCart(context.Background(), commercetools.CartDraft{
		Currency: "EUR", CustomerID: customerID,
		CustomLineItems: []commercetools.CustomLineItemDraft{{Name: map[string]string{"en": "Item"}, Money: eur(cents), Slug: "item", Quantity: 1}},
	})
	require.NoError(t, err)
	return cart
}
