package handlers

import (
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/checkout-connect/go-connector/commercetools"
	"github.com/checkout-connect/go-connector/internal/auth"
	"github.com/checkout-connect/go-connector/internal/testenv"
	"github.com/checkout-connect/go-connector/payments"
)

// When the Session API, token introspection or the JWKS cannot be reached, callers get a
// 503 in the error shape, not a 401; once they are back, the same credentials pass.
func TestUnreachableAuthenticationDependencies(t *testing.T) {
	clock := testenv.NewClock(time.Now())
	s := newTestStack(t, func(c *auth.Config) { c.Now = clock.Now })
	ct := s.ct
	session := ct.NewCheckout(t, 100, "", commercetools.SessionMetadata{}).SessionID
	token := "Bearer " + ct.Token(t, "manage_project:"+testenv.ProjectKey, 3600)
	jwt := "Bearer " + ct.MintJWT(t, nil)
	intent := func() *http.Request {
		r := jsonRequest("POST", "/operations/payment-intents/p-1", `{"actions":[{"action":"cancelPayment"}]}`)
		r.Header.Set("Authorization", token)
		return r
	}
	config := func() *http.Request {
		r := httptest.NewRequest("GET", "/operations/config", nil)
		r.Header.Set("x-session-id", session)
		return r
	}
	status := func() *http.Request {
		r := httptest.NewRequest("GET", "/operations/status", nil)
		r.Header.Set("Authorization", jwt)
		return r
	}
	cases := []struct {
		name    string
		fault   map[string]any
		request func() *http.Request
	}{
		{"Session API", map[string]any{"path": "/sessions/", "status": 503}, config},
		{"introspection", map[string]any{"path": "/oauth/introspect", "status": 502}, intent},
		{"JWKS", map[string]any{"path": "/.well-known/jwks.json", "status": 503}, status},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ct.Faults(t, tc.fault)
			rec := serve(t, s.engine, tc.request())
			assert.Equal(t, http.StatusServiceUnavailable, rec.Code, rec.Body.String())
			assert.Equal(t, "ServiceUnavailable", decodeError(t, rec).Errors[0]["code"])

			ct.ClearFaults(t)
			clock.Advance(2 * time.Second) // past the pause between two JWKS fetches
			rec = serve(t, s.engine, tc.request())
			assert.Less(t, rec.Code, 500, "recovered: %s", rec.Body.String())
			assert.NotEqual(t, http.StatusUnauthorized, rec.Code, "recovered: %s", rec.Body.String())
		})
	}
}

// BenchmarkAuthenticatedRequest measures, for each kind of credentials, the commercetools
// calls that authentication makes: for the first request with a new credential
// (ct-calls-first) and for every request after it, once the caches are warm (ct-calls/op).
// The operations chosen make no call of their own (stored payment methods are off).
func BenchmarkAuthenticatedRequest(b *testing.B) {
	s := newTestStackWith(b, stackOptions{payments: func(c *payments.Config) { c.StoredPaymentMethods.Enabled = false }})
	ct := s.ct
	ct.NewCheckout(b, 100, "", commercetools.SessionMetadata{}) // warms the client's own token
	kinds := []struct {
		name       string
		credential func() (header, value string)
		request    func() *http.Request
	}{
		{"session", func() (string, string) {
			return "x-session-id", ct.NewCheckout(b, 100, "", commercetools.SessionMetadata{}).SessionID
		}, func() *http.Request { return httptest.NewRequest("GET", "/operations/config", nil) }},
		{"jwt", func() (string, string) {
			return "Authorization", "Bearer " + ct.MintJWT(b, map[string]any{"sub": time.Now().String()})
		}, func() *http.Request { return httptest.NewRequest("GET", "/operations/payment-components", nil) }},
		{"oauth2", func() (string, string) {
			return "Authorization", "Bearer " + ct.Token(b, "manage_project:"+testenv.ProjectKey, 3600)
		}, func() *http.Request {
			return jsonRequest("POST", "/operations/transactions",
				`{"cartId":"8a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d","checkoutTransactionItemId":"1f2e3d4c-5b6a-4978-8a9b-0c1d2e3f4a5b","type":"Recurring"}`)
		}},
	}
	for _, k := range kinds {
		b.Run(k.name, func(b *testing.B) {
			header, value := k.credential()
			send := func() {
				r := k.request()
				r.Header.Set(header, value)
				rec := httptest.NewRecorder()
				s.engine.ServeHTTP(rec, r)
				if rec.Code != http.StatusOK && rec.Code != http.StatusBadRequest {
					b.Fatalf("status %d: %s", rec.Code, rec.Body.String())
				}
			}
			start := ct.Requests("")
			send()
			first := ct.Requests("") - start
			b.ResetTimer()
			before := ct.Requests("")
			for range b.N {
				send()
			}
			b.ReportMetric(float64(ct.Requests("")-before)/float64(b.N), "ct-calls/op")
			b.ReportMetric(float64(first), "ct-calls-first")
		})
	}
}
