package handlers

import (
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/checkout-connect/go-connector/commercetools"
	"github.com/checkout-connect/go-connector/providers/mockpsp"
)

// Requests without the credentials their operation's security scheme needs are refused with
// the templates' 401 bodies before any handler runs.
func TestMissingOrMalformedCredentials(t *testing.T) {
	engine, _ := newTestEngine(t)
	const paymentIntent = `{"actions":[{"action":"cancelPayment"}]}`
	cases := []struct {
		name    string
		req     func() *http.Request
		status  int
		code    string
		message string
	}{
		{"session endpoint without header", func() *http.Request {
			return httptest.NewRequest("GET", "/stored-payment-methods", nil)
		}, 401, "invalid_token", "Session is not active"},
		{"session endpoint with blank header", func() *http.Request {
			r := httptest.NewRequest("GET", "/operations/config", nil)
			r.Header.Set("x-session-id", "  ")
			return r
		}, 401, "invalid_token", "Session is not active"},
		{"session endpoint with a bearer token instead", func() *http.Request {
			r := jsonRequest("POST", "/balance", `{"code":"Valid-100-EUR"}`)
			r.Header.Set("Authorization", "Bearer abc")
			return r
		}, 401, "invalid_token", "Session is not active"},
		{"jwt endpoint without authorization", func() *http.Request {
			return httptest.NewRequest("GET", "/operations/status", nil)
		}, 401, "access_denied", "This endpoint requires the authorization header."},
		{"jwt endpoint with a session id instead", func() *http.Request {
			r := httptest.NewRequest("GET", "/operations/payment-components", nil)
			r.Header.Set("x-session-id", "s-1")
			return r
		}, 401, "access_denied", "This endpoint requires the authorization header."},
		{"oauth endpoint with basic auth", func() *http.Request {
			r := jsonRequest("POST", "/operations/payment-intents/p-1", paymentIntent)
			r.Header.Set("Authorization", "Basic dXNlcjpwYXNz")
			return r
		}, 401, "invalid_request", "Authorization header must have the format 'Bearer <token>'"},
		{"oauth endpoint with lower-case bearer", func() *http.Request {
			r := jsonRequest("POST", "/operations/payment-intents/p-1", paymentIntent)
			r.Header.Set("Authorization", "bearer abc")
			return r
		}, 401, "invalid_request", "Authorization header must have the format 'Bearer <token>'"},
		{"oauth endpoint with empty bearer", func() *http.Request {
			r := jsonRequest("POST", "/operations/transactions", `{"cartId":"8a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d","checkoutTransactionItemId":"1f2e3d4c-5b6a-4978-8a9b-0c1d2e3f4a5b","type":"Recurring"}`)
			r.Header.Set("Authorization", "Bearer ")
			return r
		}, 401, "invalid_request", "Authorization header must have the format 'Bearer <token>'"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			rec := serve(t, engine, tc.req())
			assert.Equal(t, tc.status, rec.Code, rec.Body.String())
			got := decodeError(t, rec)
			assert.Equal(t, tc.code, got.Errors[0]["code"])
			assert.Equal(t, tc.message, got.Message)
			assert.Equal(t, tc.code, got.Error, "OAuth-style error field")
			assert.Equal(t, tc.message, got.ErrorDescription)
		})
	}
}

func TestPresentedCredentialsReachTheOperation(t *testing.T) {
	s := newTestStack(t)
	session := httptest.NewRequest("GET", "/operations/config", nil)
	session.Header.Set("x-session-id", s.ct.NewCheckout(t, 100, "", commercetools.SessionMetadata{}).SessionID)
	bearer := httptest.NewRequest("GET", "/operations/status", nil)
	bearer.Header.Set("Authorization", "Bearer "+s.ct.MintJWT(t, nil))
	for _, req := range []*http.Request{session, bearer} {
		rec := serve(t, s.engine, req)
		assert.Equal(t, http.StatusOK, rec.Code, "%s %s: %s", req.Method, req.URL.Path, rec.Body.String())
	}
}

// signedNotification is a webhook delivery signed as the mock PSP signs them: a webhook's
// signature is its only credential.
func signedNotification(body string) *http.Request {
	req := jsonRequest("POST", "/notifications", body)
	req.Header.Set(mockpsp.SignatureHeader, mockpsp.Sign(mockpsp.DefaultWebhookSecret, time.Now(), []byte(body)))
	return req
}

// Operations without security, or whose security includes the anonymous alternative, take
// requests without Checkout credentials.
func TestOpenOperationsNeedNoCredentials(t *testing.T) {
	engine, _ := newTestEngine(t)
	for _, req := range []*http.Request{
		httptest.NewRequest("GET", "/health", nil),
		httptest.NewRequest("GET", "/openapi.yaml", nil),
		httptest.NewRequest("GET", "/payments/return?paymentReference=p-1", nil),
		signedNotification(`{"events":[]}`),
	} {
		rec := serve(t, engine, req)
		assert.NotEqual(t, http.StatusUnauthorized, rec.Code, "%s %s", req.Method, req.URL.Path)
	}
}
