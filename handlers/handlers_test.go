package handlers

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/stretchr/testify/require"

	"github.com/checkout-connect/go-connector/internal/auth"
	"github.com/checkout-connect/go-connector/internal/contracttest"
	"github.com/checkout-connect/go-connector/internal/correlation"
	"github.com/checkout-connect/go-connector/internal/deploy"
	"github.com/checkout-connect/go-connector/internal/testenv"
	"github.com/checkout-connect/go-connector/payments"
	"github.com/checkout-connect/go-connector/providers/mockgiftcard"
	"github.com/checkout-connect/go-connector/providers/mockpsp"
	"github.com/checkout-connect/go-connector/providers/registry"
)

// testBodyLimit is the body size limit of the engines built by newTestEngine.
const testBodyLimit = 4096

// stack is the real engine with a real commercetools (the emulator over HTTP) behind it.
type stack struct {
	engine *gin.Engine
	logs   *testenv.SyncBuffer
	ct     *testenv.Commercetools
	psp    *mockpsp.PSP
	cards  *mockgiftcard.Provider
	// pspCalls and cardCalls count what reached the providers.
	pspCalls  *testenv.PSP
	cardCalls *testenv.GiftCards
	flows     *payments.Service
}

// stackOptions tune a test stack.
type stackOptions struct {
	auth     []func(*auth.Config)
	payments func(*payments.Config)
	// ct, when set, is the commercetools to use instead of a new emulator.
	ct *testenv.Commercetools
	// psp and cards, when set, are the providers to use instead of new mocks (replicas
	// share them: they stand for one PSP outside).
	psp   *testenv.PSP
	cards *testenv.GiftCards
	// budget is the request budget (default 20 s).
	budget time.Duration
	// clock, when set, is the flows' clock.
	clock *testenv.Clock
	// bodyLimit is the request body limit (testBodyLimit when zero).
	bodyLimit int64
}

// newTestStack builds the engine against a new emulator, with the mock PSP, logging at
// debug level.
func newTestStack(t testing.TB, tweak ...func(*auth.Config)) *stack {
	t.Helper()
	return newTestStackWith(t, stackOptions{auth: tweak})
}

func newTestStackWith(t testing.TB, opts stackOptions) *stack {
	t.Helper()
	ct := opts.ct
	if ct == nil {
		ct = testenv.Start(t)
	}
	logs := &testenv.SyncBuffer{}
	log := slog.New(correlation.NewLogHandler(slog.NewJSONHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug})))
	cfg := payments.Config{ClientKey: "ck-test", Environment: "TEST",
		PurchaseOrderTypeKey: "payment-purchase-order",
		StoredPaymentMethods: payments.StoredPaymentMethods{Enabled: true, PaymentInterface: "mock-spm"},
		Budget:               opts.budget}
	if opts.clock != nil {
		cfg.Now = opts.clock.Now
	}
	if opts.payments != nil {
		opts.payments(&cfg)
	}
	require.NoError(t, deploy.PostDeploy(context.Background(), ct.Client, cfg.PurchaseOrderTypeKey, log))
	if opts.psp == nil {
		opts.psp = testenv.NewPSP(mockpsp.New())
	}
	if opts.cards == nil {
		opts.cards = testenv.NewGiftCards(mockgiftcard.New("EUR"))
	}
	flows, err := payments.New(ct.Client,
		registry.PSP{Provider: opts.psp, Interface: mockpsp.Name, DisplayName: "Mock Payment API"},
		&registry.GiftCards{Provider: opts.cards, Interface: mockgiftcard.Name, DisplayName: "mock giftcard API call"}, cfg, log)
	require.NoError(t, err)
	if opts.bodyLimit == 0 {
		opts.bodyLimit = testBodyLimit
	}
	engine, err := New(Options{Logger: log, MaxRequestBodyBytes: opts.bodyLimit, Authenticator: ct.Authenticator(t, opts.auth...),
		Payments: flows, Status: StatusOptions{Version: "test", Timeout: 5 * time.Second}, RequestBudget: opts.budget})
	require.NoError(t, err)
	psp, _ := opts.psp.Inner().(*mockpsp.PSP)
	cards, _ := opts.cards.Inner().(*mockgiftcard.Provider)
	return &stack{engine: engine, logs: logs, ct: ct, psp: psp, cards: cards, pspCalls: opts.psp, cardCalls: opts.cards, flows: flows}
}

// newTestEngine is newTestStack for tests that need only the engine and its logs.
func newTestEngine(t *testing.T) (*gin.Engine, *testenv.SyncBuffer) {
	t.Helper()
	s := newTestStack(t)
	return s.engine, s.logs
}

// decodedError is the common error shape, decoded loosely so tests see every field.
type decodedError struct {
	Message          string           `json:"message"`
	StatusCode       int              `json:"statusCode"`
	Errors           []map[string]any `json:"errors"`
	Error            string           `json:"error"`
	ErrorDescription string           `json:"error_description"`
}

// serve sends req through engine, checks the answer against the contract and returns it.
func serve(t *testing.T, engine http.Handler, req *http.Request) *httptest.ResponseRecorder {
	t.Helper()
	var sent []byte
	if req.Body != nil {
		var err error
		sent, err = io.ReadAll(req.Body)
		require.NoError(t, err)
		req.Body = io.NopCloser(bytes.NewReader(sent))
	}
	rec := httptest.NewRecorder()
	engine.ServeHTTP(rec, req)
	// The validator consumed the body; give the contract check a fresh copy of the request.
	check := req.Clone(req.Context())
	check.Body = io.NopCloser(bytes.NewReader(sent))
	contracttest.CheckResponse(t, check, rec.Code, rec.Header(), rec.Body.Bytes())
	return rec
}

func decodeError(t *testing.T, rec *httptest.ResponseRecorder) decodedError {
	t.Helper()
	var body decodedError
	require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &body), "body: %s", rec.Body.String())
	require.NotEmpty(t, body.Errors, "body: %s", rec.Body.String())
	return body
}

func jsonRequest(method, target, body string) *http.Request {
	req := httptest.NewRequest(method, target, bytes.NewBufferString(body))
	req.Header.Set("Content-Type", "application/json")
	return req
}
