// Package testenv gives tests a real commercetools to talk to: the emulator served over
// HTTP on loopback, a commercetools client whose traffic is checked against the official
// API description, and an Authenticator wired to both.
package testenv

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/checkout-connect/go-connector/commercetools"
	"github.com/checkout-connect/go-connector/commercetools/emulator"
	"github.com/checkout-connect/go-connector/internal/auth"
	"github.com/checkout-connect/go-connector/internal/ctcontract"
)

// ProjectKey is the project of every test environment.
const ProjectKey = "test-project"

// Commercetools is an emulator served over HTTP and a client of it.
type Commercetools struct {
	Emulator *emulator.Emulator
	URL      string
	Client   *commercetools.Client

	mu       sync.Mutex
	requests []string
	gates    []*gate
}

// gate holds requests until n of them have arrived.
type gate struct {
	prefix  string
	n       int
	arrived int
	open    chan struct{}
}

// Start serves a new emulator for the test and returns it with a contract-checked client.
func Start(t testing.TB) *Commercetools {
	t.Helper()
	emu, err := emulator.New(emulator.Options{ProjectKey: ProjectKey})
	require.NoError(t, err)
	ct := &Commercetools{Emulator: emu}
	handler := emu.Handler()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		line := r.Method + " " + r.URL.Path
		ct.mu.Lock()
		ct.requests = append(ct.requests, line)
		g := ct.gateFor(line)
		ct.mu.Unlock()
		if g != nil {
			select {
			case <-g.open:
			case <-time.After(gateTimeout):
				t.Errorf("testenv: gate %q: only %d of %d requests arrived", g.prefix, g.arrived, g.n)
			}
		}
		handler.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	ct.URL = srv.URL
	contract := ctcontract.NewTransport(t)
	contract.Base = commercetools.NewTransport() // the processor's own
	ct.Client, err = commercetools.New(commercetools.Config{
		ProjectKey: ProjectKey, ClientID: emu.ClientID(), ClientSecret: emu.ClientSecret(),
		AuthURL: srv.URL, APIURL: srv.URL, SessionURL: srv.URL,
		Transport: contract, RetryBaseDelay: time.Millisecond,
	})
	require.NoError(t, err)
	return ct
}

// gateTimeout ends a wait at a gate that not every racer reaches: the test fails
// instead of hanging.
const gateTimeout = 20 * time.Second

// Gate holds the next n requests whose "METHOD /path" starts with prefix (the path holds
// the project key: "GET /test-project/carts/") until all n have arrived, then lets them
// through at once. Racers that read behind a gate all read the same version, so every
// run of a race test interleaves the same way.
func (ct *Commercetools) Gate(prefix string, n int) {
	ct.mu.Lock()
	defer ct.mu.Unlock()
	ct.gates = append(ct.gates, &gate{prefix: prefix, n: n, open: make(chan struct{})})
}

// gateFor takes a place for line at the first gate that still has one. ct.mu is held.
func (ct *Commercetools) gateFor(line string) *gate {
	for _, g := range ct.gates {
		if g.arrived < g.n && strings.HasPrefix(line, g.prefix) {
			g.arrived++
			if g.arrived == g.n {
				close(g.open)
			}
			return g
		}
	}
	return nil
}

// Authenticator returns an Authenticator of the environment; tweak may change its
// configuration.
func (ct *Commercetools) Authenticator(t testing.TB, tweak ...func(*auth.Config)) *auth.Authenticator {
	t.Helper()
	cfg := auth.Config{ProjectKey: ProjectKey, Commercetools: ct.Client, JWKSURL: ct.URL + "/.well-known/jwks.json", JWTIssuer: ct.URL}
	for _, f := range tweak {
		f(&cfg)
	}
	a, err := auth.New(cfg)
	require.NoError(t, err)
	return a
}

// Requests counts the requests the emulator received whose "METHOD /path" starts with
// prefix.
func (ct *Commercetools) Requests(prefix string) int {
	ct.mu.Lock()
	defer ct.mu.Unlock()
	n := 0
	for _, r := range ct.requests {
		if strings.HasPrefix(r, prefix) {
			n++
		}
	}
	return n
}

// Checkout is a cart with an ACTIVE session.
type Checkout struct {
	Cart      *commercetools.Cart
	SessionID string
}

// NewCheckout creates a cart of one item costing cents (EUR) for customerID (none when
// empty) and an ACTIVE session for it.
func (ct *Commercetools) NewCheckout(t testing.TB, cents int64, customerID string, metadata commercetools.SessionMetadata) Checkout {
	t.Helper()
	ctx := context.Background()
	cart, err := ct.Client.CreateCart(ctx, commercetools.CartDraft{Currency: "EUR", CustomerID: customerID,
		CustomLineItems: []commercetools.CustomLineItemDraft{{Name: map[string]string{"en": "Item"}, Slug: "item", Quantity: 1,
			Money: commercetools.Money{CurrencyCode: "EUR", CentAmount: cents}}}})
	require.NoError(t, err)
	s, err := ct.Client.CreateSession(ctx, commercetools.NewSessionDraft(cart.ID, metadata))
	require.NoError(t, err)
	return Checkout{Cart: cart, SessionID: s.ID}
}

// post sends JSON to an emulator endpoint and decodes the answer into out.
func (ct *Commercetools) post(t testing.TB, path string, body, out any) {
	t.Helper()
	data, err := json.Marshal(body)
	require.NoError(t, err)
	resp, err := http.Post(ct.URL+path, "application/json", bytes.NewReader(data))
	require.NoError(t, err)
	defer resp.Body.Close()
	require.Less(t, resp.StatusCode, 300, "POST %s", path)
	if out != nil {
		require.NoError(t, json.NewDecoder(resp.Body).Decode(out))
	}
}

// ExpireSession ends a session at once.
func (ct *Commercetools) ExpireSession(t testing.TB, id string) {
	t.Helper()
	ct.post(t, "/emulator/sessions/"+url.PathEscape(id)+"/expire", map[string]any{}, nil)
}

// MintJWT returns a Merchant Center style JWT; claims override the defaults.
func (ct *Commercetools) MintJWT(t testing.TB, claims map[string]any) string {
	t.Helper()
	var out struct {
		Token string `json:"token"`
	}
	ct.post(t, "/emulator/jwt", map[string]any{"claims": claims}, &out)
	return out.Token
}

// SignJWT signs arbitrary claims with the emulator's published key (no defaults).
func (ct *Commercetools) SignJWT(t testing.TB, claims map[string]any) string {
	t.Helper()
	token, err := ct.Emulator.SignJWT(claims)
	require.NoError(t, err)
	return token
}

// Token mints an access token with the scope and lifetime (seconds).
func (ct *Commercetools) Token(t testing.TB, scope string, expiresIn int) string {
	t.Helper()
	var out struct {
		AccessToken string `json:"access_token"`
	}
	ct.post(t, "/emulator/tokens", map[string]any{"scope": scope, "expiresIn": expiresIn}, &out)
	return out.AccessToken
}

// Faults installs fault injection rules (see the emulator's README section).
func (ct *Commercetools) Faults(t testing.TB, rules ...map[string]any) {
	t.Helper()
	ct.post(t, "/emulator/faults", rules, nil)
}

// ClearFaults removes every fault injection rule.
func (ct *Commercetools) ClearFaults(t testing.TB) {
	t.Helper()
	req, err := http.NewRequest(http.MethodDelete, ct.URL+"/emulator/faults", nil)
	require.NoError(t, err)
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	require.NoError(t, resp.Body.Close())
}
