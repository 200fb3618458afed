package handlers

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/checkout-connect/go-connector/commercetools"
	"github.com/checkout-connect/go-connector/internal/testenv"
)

func b64(v any) string {
	data, _ := json.Marshal(v)
	return base64.RawURLEncoding.EncodeToString(data)
}

// unsignedJWT is a token with alg "none".
func unsignedJWT(kid string, claims map[string]any) string {
	return b64(map[string]any{"alg": "none", "typ": "JWT", "kid": kid}) + "." + b64(claims) + "."
}

// hmacWithPublicKey signs with HS256 using the emulator's public key as the secret: the
// key-confusion attack on verifiers that let the token pick the algorithm.
func hmacWithPublicKey(t *testing.T, ct *testenv.Commercetools, kid string, claims map[string]any) string {
	der, err := x509.MarshalPKIXPublicKey(ct.Emulator.PublicKey())
	require.NoError(t, err)
	secret := pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der})
	signing := b64(map[string]any{"alg": "HS256", "typ": "JWT", "kid": kid}) + "." + b64(claims)
	mac := hmac.New(sha256.New, secret)
	mac.Write([]byte(signing))
	return signing + "." + base64.RawURLEncoding.EncodeToString(mac.Sum(nil))
}

func emulatorKid(t *testing.T, ct *testenv.Commercetools) string {
	resp, err := http.Get(ct.URL + "/.well-known/jwks.json")
	require.NoError(t, err)
	defer resp.Body.Close()
	var jwks struct {
		Keys []struct {
			Kid string `json:"kid"`
		} `json:"keys"`
	}
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&jwks))
	return jwks.Keys[0].Kid
}

// TestSecurity sends requests with every kind of good, bad and misplaced credentials to
// the real server over HTTP, backed by the emulator over HTTP.
func TestSecurity(t *testing.T) {
	s := newTestStack(t)
	srv := httptest.NewServer(s.engine)
	t.Cleanup(srv.Close)
	ct := s.ct
	ctx := context.Background()
	pk := testenv.ProjectKey
	kid := emulatorKid(t, ct)
	now := time.Now()
	claims := func(extra map[string]any) map[string]any {
		c := map[string]any{"iss": ct.URL, "sub": "merchant", "exp": now.Add(time.Hour).Unix(), ct.URL + "/claims/project_key": pk}
		for k, v := range extra {
			c[k] = v
		}
		return c
	}

	valid := ct.NewCheckout(t, 1000, "", commercetools.SessionMetadata{})
	expired := ct.NewCheckout(t, 1000, "", commercetools.SessionMetadata{})
	ct.ExpireSession(t, expired.SessionID)
	orphan := ct.NewCheckout(t, 1000, "", commercetools.SessionMetadata{})
	require.NoError(t, ct.Client.DeleteCart(ctx, orphan.Cart.ID, orphan.Cart.Version))

	goodJWT := ct.MintJWT(t, nil)
	tamperedJWT := func() string {
		parts := strings.Split(goodJWT, ".")
		return parts[0] + "." + b64(claims(map[string]any{"sub": "admin"})) + "." + parts[2]
	}()

	const (
		intent       = "/operations/payment-intents/6f1c1b0e-8f55-4a5c-9d3b-2a4c1e3f5a7b"
		intentBody   = `{"actions":[{"action":"cancelPayment"}]}`
		transactions = "/operations/transactions"
		txBody       = `{"cartId":"8a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d","checkoutTransactionItemId":"1f2e3d4c-5b6a-4978-8a9b-0c1d2e3f4a5b","type":"Recurring"}`
	)
	token := func(scope string) string { return "Bearer " + ct.Token(t, scope, 600) }

	cases := []struct {
		name         string
		method, path string
		body         string
		header       string
		value        string
		status       int
		code         string
	}{
		{"session: none", "POST", "/payments", `{"paymentMethod":{"type":"card"}}`, "", "", 401, "invalid_token"},
		{"session: garbage", "GET", "/operations/config", "", "x-session-id", "garbage", 401, "invalid_token"},
		{"session: expired", "GET", "/operations/config", "", "x-session-id", expired.SessionID, 401, "invalid_token"},
		{"session: its cart is gone", "GET", "/operations/config", "", "x-session-id", orphan.SessionID, 401, "invalid_token"},
		{"session: a JWT instead", "GET", "/stored-payment-methods", "", "x-session-id", goodJWT, 401, "invalid_token"},
		{"session: a bearer token instead", "POST", "/balance", `{"code":"Valid-100-EUR"}`, "Authorization", token("manage_project:" + pk), 401, "invalid_token"},
		{"session: valid", "GET", "/operations/config", "", "x-session-id", valid.SessionID, 200, ""},

		{"jwt: none", "GET", "/operations/status", "", "", "", 401, "access_denied"},
		{"jwt: not bearer", "GET", "/operations/status", "", "Authorization", "Token " + goodJWT, 401, "invalid_request"},
		{"jwt: garbage", "GET", "/operations/status", "", "Authorization", "Bearer garbage", 401, "invalid_token"},
		{"jwt: unsigned (alg none)", "GET", "/operations/status", "", "Authorization", "Bearer " + unsignedJWT(kid, claims(nil)), 401, "invalid_token"},
		{"jwt: HS256 with the public key", "GET", "/operations/status", "", "Authorization", "Bearer " + hmacWithPublicKey(t, ct, kid, claims(nil)), 401, "invalid_token"},
		{"jwt: tampered claims", "GET", "/operations/status", "", "Authorization", "Bearer " + tamperedJWT, 401, "invalid_token"},
		{"jwt: another issuer", "GET", "/operations/status", "", "Authorization", "Bearer " + ct.SignJWT(t, claims(map[string]any{"iss": "https://evil.example.com"})), 401, "invalid_token"},
		{"jwt: another project", "GET", "/operations/status", "", "Authorization", "Bearer " + ct.SignJWT(t, claims(map[string]any{ct.URL + "/claims/project_key": "other"})), 401, "invalid_token"},
		{"jwt: expired", "GET", "/operations/status", "", "Authorization", "Bearer " + ct.SignJWT(t, claims(map[string]any{"exp": now.Add(-time.Hour).Unix()})), 401, "invalid_token"},
		{"jwt: not yet valid", "GET", "/operations/status", "", "Authorization", "Bearer " + ct.SignJWT(t, claims(map[string]any{"nbf": now.Add(time.Hour).Unix()})), 401, "invalid_token"},
		{"jwt: no expiry", "GET", "/operations/payment-components", "", "Authorization", "Bearer " + ct.SignJWT(t, map[string]any{"iss": ct.URL, ct.URL + "/claims/project_key": pk}), 401, "invalid_token"},
		{"jwt: unknown kid", "GET", "/operations/status", "", "Authorization", "Bearer " + hmacWithPublicKey(t, ct, "unknown-kid", claims(nil)), 401, "invalid_token"},
		{"jwt: an access token instead", "GET", "/operations/status", "", "Authorization", token("manage_project:" + pk), 401, "invalid_token"},
		{"jwt: a session id instead", "GET", "/operations/payment-components", "", "x-session-id", valid.SessionID, 401, "access_denied"},
		{"jwt: valid", "GET", "/operations/status", "", "Authorization", "Bearer " + goodJWT, 200, ""},

		{"oauth: none", "POST", intent, intentBody, "", "", 401, "access_denied"},
		{"oauth: basic auth", "POST", intent, intentBody, "Authorization", "Basic bG9jYWw6bG9jYWw=", 401, "invalid_request"},
		{"oauth: inactive", "POST", intent, intentBody, "Authorization", "Bearer not-a-token", 401, "invalid_token"},
		{"oauth: expired", "POST", intent, intentBody, "Authorization", "Bearer " + ct.Token(t, "manage_project:"+pk, -60), 401, "invalid_token"},
		{"oauth: another project", "POST", intent, intentBody, "Authorization", token("manage_project:other-project"), 401, "invalid_token"},
		{"oauth: a JWT instead", "POST", intent, intentBody, "Authorization", "Bearer " + goodJWT, 401, "invalid_token"},
		{"oauth: a session id instead", "POST", transactions, txBody, "x-session-id", valid.SessionID, 401, "access_denied"},
		{"oauth: without the scope", "POST", intent, intentBody, "Authorization", token("view_payments:" + pk), 403, "insufficient_scope"},
		{"oauth: the other operation's scope", "POST", intent, intentBody, "Authorization", token("manage_checkout_transactions:" + pk), 403, "insufficient_scope"},
		{"oauth: the scope for another project", "POST", transactions, txBody, "Authorization", token("manage_checkout_transactions:other " + "view_payments:" + pk), 403, "insufficient_scope"},
		{"oauth: manage_project (reaches the operation: no such payment)", "POST", intent, intentBody, "Authorization", token("manage_project:" + pk), 404, "ResourceNotFound"},
		{"oauth: manage_checkout_payment_intents", "POST", intent, intentBody, "Authorization", token("manage_checkout_payment_intents:" + pk), 404, "ResourceNotFound"},
		{"oauth: manage_checkout_transactions (reaches the operation: no payment method)", "POST", transactions, txBody, "Authorization", token("manage_checkout_transactions:" + pk), 400, "RequiredField"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var body io.Reader
			if tc.body != "" {
				body = strings.NewReader(tc.body)
			}
			req, err := http.NewRequest(tc.method, srv.URL+tc.path, body)
			require.NoError(t, err)
			req.Header.Set("Content-Type", "application/json")
			if tc.header != "" {
				req.Header.Set(tc.header, tc.value)
			}
			resp, err := http.DefaultClient.Do(req)
			require.NoError(t, err)
			data, err := io.ReadAll(resp.Body)
			require.NoError(t, err)
			require.NoError(t, resp.Body.Close())

			assert.Equal(t, tc.status, resp.StatusCode, "%s", data)
			if tc.status < 300 {
				return
			}
			var got decodedError
			require.NoError(t, json.Unmarshal(data, &got), "%s", data)
			require.NotEmpty(t, got.Errors)
			assert.Equal(t, tc.code, got.Errors[0]["code"], "%s", data)
			if tc.status == 401 || tc.status == 403 {
				assert.Equal(t, tc.code, got.Error)
			}
			if tc.status == 403 {
				assert.NotEmpty(t, got.Errors[0]["validAuthorities"])
			}
		})
	}
	assert.GreaterOrEqual(t, len(cases), 25)
}
