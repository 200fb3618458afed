//go:build !js

package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/checkout-connect/go-connector/api"
	"github.com/checkout-connect/go-connector/commercetools"
	"github.com/checkout-connect/go-connector/commercetools/emulator"
	"github.com/checkout-connect/go-connector/internal/testenv"
)

// testMemoryLimit stands for the soft memory limit main takes from the container.
const testMemoryLimit = 48 << 20

type started struct {
	base    string
	stop    func() error
	logs    *testenv.SyncBuffer
	console *testenv.SyncBuffer
}

// start runs the processor as main does, on a free loopback port.
func start(t *testing.T, vars map[string]string) started {
	t.Helper()
	getenv := func(name string) string {
		switch name {
		case "HOST":
			return "127.0.0.1"
		case "PORT":
			return "0"
		}
		return vars[name]
	}
	ctx, cancel := context.WithCancel(context.Background())
	s := started{logs: &testenv.SyncBuffer{}, console: &testenv.SyncBuffer{}}
	addr := make(chan string, 1)
	done := make(chan error, 1)
	env := environment{Getenv: getenv, Logs: s.logs, Console: s.console, Ready: func(a string) { addr <- a },
		MemoryLimit: testMemoryLimit}
	go func() { done <- run(ctx, env) }()
	select {
	case a := <-addr:
		s.base = "http://" + a
		s.stop = sync.OnceValue(func() error {
			cancel()
			return <-done
		})
		t.Cleanup(func() { _ = s.stop() })
		return s
	case err := <-done:
		cancel()
		t.Fatalf("processor did not start: %v", err)
		return s
	}
}

func get(t *testing.T, url string, header ...string) (*http.Response, []byte) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, url, nil)
	require.NoError(t, err)
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return resp, body
}

func TestRunServesHealthAndContractThenStops(t *testing.T) {
	s := start(t, nil)

	resp, body := get(t, s.base+"/health")
	assert.Equal(t, http.StatusOK, resp.StatusCode)
	assert.JSONEq(t, `{"status":"UP"}`, string(body))

	resp, body = get(t, s.base+"/openapi.yaml")
	assert.Equal(t, http.StatusOK, resp.StatusCode)
	assert.Equal(t, api.Spec, body)

	require.NoError(t, s.stop(), "graceful shutdown")
	assert.Regexp(t, fmt.Sprintf(`"msg":"processor listening".*"soft_memory_limit_bytes":%d`, testMemoryLimit), s.logs.String(),
		"the listening line says the soft memory limit main took from the container")
	assert.Contains(t, s.logs.String(), `"msg":"stopped"`)

	_, err := http.Get(s.base + "/health")
	assert.Error(t, err, "nothing listens after the stop")
}

// Without credentials the processor starts the emulator, seeds a demo cart and an ACTIVE
// session through the commercetools API, and says where they are.
func TestLocalModeSeedsADemoCheckout(t *testing.T) {
	s := start(t, nil)
	assert.Contains(t, s.logs.String(), `"mode":"local"`)

	console := s.console.String()
	assert.Contains(t, console, s.base)
	sessionID := regexp.MustCompile(`session id\s+(\S+)`).FindStringSubmatch(console)
	emulatorURL := regexp.MustCompile(`emulator\s+(http://\S+)`).FindStringSubmatch(console)
	require.Len(t, sessionID, 2, console)
	require.Len(t, emulatorURL, 2, console)

	resp, err := http.PostForm(emulatorURL[1]+"/oauth/token", url.Values{"grant_type": {"client_credentials"}})
	require.NoError(t, err)
	require.NoError(t, resp.Body.Close())
	require.Equal(t, http.StatusUnauthorized, resp.StatusCode, "the emulator wants its credentials")
	req, err := http.NewRequest(http.MethodPost, emulatorURL[1]+"/oauth/token", strings.NewReader("grant_type=client_credentials"))
	require.NoError(t, err)
	req.SetBasicAuth("local", "local")
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err = http.DefaultClient.Do(req)
	require.NoError(t, err)
	var tok struct {
		AccessToken string `json:"access_token"`
	}
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&tok))
	require.NoError(t, resp.Body.Close())

	resp, body := get(t, emulatorURL[1]+"/payment-integration/sessions/"+sessionID[1], "Authorization", "Bearer "+tok.AccessToken)
	require.Equal(t, http.StatusOK, resp.StatusCode, "%s", body)
	var session struct {
		State      string `json:"state"`
		ActiveCart struct {
			CartRef struct {
				ID string `json:"id"`
			} `json:"cartRef"`
		} `json:"activeCart"`
		Metadata struct {
			ProcessorURL string `json:"processorUrl"`
		} `json:"metadata"`
	}
	require.NoError(t, json.Unmarshal(body, &session))
	assert.Equal(t, "ACTIVE", session.State)
	assert.Equal(t, s.base, session.Metadata.ProcessorURL)

	resp, body = get(t, emulatorURL[1]+"/payment-integration/carts/"+session.ActiveCart.CartRef.ID, "Authorization", "Bearer "+tok.AccessToken)
	require.Equal(t, http.StatusOK, resp.StatusCode)
	var cart struct {
		CustomerID string `json:"customerId"`
		TotalPrice struct {
			CentAmount   int64  `json:"centAmount"`
			CurrencyCode string `json:"currencyCode"`
		} `json:"totalPrice"`
	}
	require.NoError(t, json.Unmarshal(body, &cart))
	assert.Equal(t, int64(8995+2*1495), cart.TotalPrice.CentAmount)
	assert.Equal(t, "EUR", cart.TotalPrice.CurrencyCode)
	assert.Equal(t, "local-customer", cart.CustomerID)

	require.NoError(t, s.stop())
	assert.NotContains(t, s.logs.String(), sessionID[1], "the session id stays out of the logs")
	_, err = http.Get(emulatorURL[1] + "/.well-known/jwks.json")
	assert.Error(t, err, "the emulator stops with the processor")
}

func TestRunRefusesABadConfiguration(t *testing.T) {
	err := run(context.Background(), environment{Getenv: func(name string) string {
		return map[string]string{"PORT": "nope", "CTP_PROJECT_KEY": "Bad Key"}[name]
	}, Logs: io.Discard, Console: io.Discard})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "PORT")
	assert.Contains(t, err.Error(), "CTP_PROJECT_KEY")
}

// Against a commercetools of its own (the emulator on loopback, with its own secret), the
// processor authenticates good and bad sessions and tokens at debug level; no secret,
// session id or token reaches the logs.
func TestSecretsAreNotLogged(t *testing.T) {
	const secret = "top-secret-value"
	emu, err := emulator.New(emulator.Options{ProjectKey: "payment-integration", ClientID: "client", ClientSecret: secret})
	require.NoError(t, err)
	ctSrv := httptest.NewServer(emu.Handler())
	t.Cleanup(ctSrv.Close)
	client, err := commercetools.New(commercetools.Config{ProjectKey: "payment-integration", ClientID: "client", ClientSecret: secret,
		AuthURL: ctSrv.URL, APIURL: ctSrv.URL, SessionURL: ctSrv.URL})
	require.NoError(t, err)
	ctx := context.Background()
	cart, err := client.CreateCart(ctx, commercetools.CartDraft{Currency: "EUR"})
	require.NoError(t, err)
	session, err := client.CreateSession(ctx, commercetools.NewSessionDraft(cart.ID, commercetools.SessionMetadata{}))
	require.NoError(t, err)

	s := start(t, map[string]string{
		"CTP_CLIENT_ID": "client", "CTP_CLIENT_SECRET": secret, "LOGGER_LEVEL": "debug",
		"CTP_AUTH_URL": ctSrv.URL, "CTP_API_URL": ctSrv.URL, "CTP_SESSION_URL": ctSrv.URL,
		"CTP_JWKS_URL": ctSrv.URL + "/.well-known/jwks.json", "CTP_JWT_ISSUER": ctSrv.URL,
	})
	jwt, err := emu.SignJWT(map[string]any{"iss": ctSrv.URL, "sub": "m", "exp": time.Now().Add(time.Hour).Unix(),
		ctSrv.URL + "/claims/project_key": "other-project"})
	require.NoError(t, err)
	secrets := []string{secret, session.ID, "unknown-session-id-123", jwt, "not-a-real-token-456"}
	calls := []struct{ path, header, value string }{
		{"/operations/config", "x-session-id", session.ID},
		{"/operations/config", "x-session-id", "unknown-session-id-123"},
		{"/operations/status", "Authorization", "Bearer " + jwt},
		{"/operations/status", "Authorization", "Bearer not-a-real-token-456"},
	}
	for _, call := range calls {
		resp, _ := get(t, s.base+call.path, call.header, call.value)
		assert.NotEqual(t, http.StatusInternalServerError, resp.StatusCode)
	}
	resp, err := http.Post(s.base+"/operations/transactions", "application/json", strings.NewReader(`{}`))
	require.NoError(t, err)
	require.NoError(t, resp.Body.Close())
	require.NoError(t, s.stop())

	logs := s.logs.String()
	assert.Contains(t, logs, `"mode":"commercetools"`)
	assert.Contains(t, logs, `"status":401`, "the refusals were logged")
	for _, v := range secrets {
		assert.NotContains(t, logs, v)
	}
}

func TestLoopbackAddr(t *testing.T) {
	assert.Equal(t, "localhost:8080", loopbackAddr("[::]:8080"))
	assert.Equal(t, "localhost:8080", loopbackAddr("0.0.0.0:8080"))
	assert.Equal(t, "127.0.0.1:9", loopbackAddr("127.0.0.1:9"))
}

// The offsite round trip in local mode, as a browser makes it: pay, follow the action to
// the mock PSP's hosted page, approve, come back through /payments/return to the shop.
func TestLocalModeOffsiteRoundTrip(t *testing.T) {
	s := start(t, nil)
	sessionID := regexp.MustCompile(`session id\s+(\S+)`).FindStringSubmatch(s.console.String())
	require.Len(t, sessionID, 2)
	req, err := http.NewRequest(http.MethodPost, s.base+"/payments", strings.NewReader(`{"paymentMethod":{"type":"offsite"}}`))
	require.NoError(t, err)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("x-session-id", sessionID[1])
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	var paid struct {
		PaymentReference string `json:"paymentReference"`
		Action           struct {
			URL string `json:"url"`
		} `json:"action"`
	}
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&paid))
	require.NoError(t, resp.Body.Close())
	require.NotEmpty(t, paid.Action.URL, "the shopper is sent to the PSP's page")

	browser := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err = browser.PostForm(paid.Action.URL, url.Values{"decision": {"approve"}})
	require.NoError(t, err)
	require.NoError(t, resp.Body.Close())
	back := resp.Header.Get("Location")
	require.True(t, strings.HasPrefix(back, s.base+"/payments/return?"), back)

	resp, err = browser.Get(back)
	require.NoError(t, err)
	require.NoError(t, resp.Body.Close())
	assert.Equal(t, http.StatusSeeOther, resp.StatusCode)
	assert.Equal(t, s.base+"/?outcome=approved&paymentReference="+paid.PaymentReference, resp.Header.Get("Location"))
}

func TestLocalModeServesTheDemoCheckout(t *testing.T) {
	s := start(t, nil)
	assert.Contains(t, s.console.String(), "demo checkout "+s.base+"/")
	resp, body := get(t, s.base+"/")
	require.Equal(t, http.StatusOK, resp.StatusCode)
	assert.Contains(t, string(body), `import { Enabler } from "/enabler/connector-enabler.js"`)

	resp, body = get(t, s.base+"/demo/checkout")
	require.Equal(t, http.StatusOK, resp.StatusCode)
	var first struct {
		SessionID string `json:"sessionId"`
		CartID    string `json:"cartId"`
	}
	require.NoError(t, json.Unmarshal(body, &first))
	resp, err := http.Post(s.base+"/demo/checkout", "application/json", nil)
	require.NoError(t, err)
	var second struct {
		SessionID string `json:"sessionId"`
		CartID    string `json:"cartId"`
	}
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&second))
	require.NoError(t, resp.Body.Close())
	assert.Equal(t, http.StatusCreated, resp.StatusCode)
	assert.NotEqual(t, first.CartID, second.CartID, "a new cart")
	assert.NotEqual(t, first.SessionID, second.SessionID)
}

func TestMetricsCountWhatHappened(t *testing.T) {
	s := start(t, nil)
	sessionID := regexp.MustCompile(`session id\s+(\S+)`).FindStringSubmatch(s.console.String())
	require.Len(t, sessionID, 2)
	req, err := http.NewRequest(http.MethodPost, s.base+"/payments", strings.NewReader(`{"paymentMethod":{"type":"card"},"paymentOutcome":"Authorized"}`))
	require.NoError(t, err)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("x-session-id", sessionID[1])
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	require.NoError(t, resp.Body.Close())
	require.Equal(t, http.StatusOK, resp.StatusCode)

	resp, body := get(t, s.base+"/metrics")
	require.Equal(t, http.StatusOK, resp.StatusCode)
	text := string(body)
	for _, line := range []string{
		`processor_request_duration_seconds_count{operation="createPayment",status="200"} 1`,
		`processor_provider_calls_total{outcome="approved",provider="mock",transaction="Authorization"} 1`,
		`processor_money_attempts_in_flight 0`,
	} {
		assert.Contains(t, text, line)
	}
	assert.Regexp(t, `processor_commercetools_request_duration_seconds_count\{method="POST",resource="payments",status="2xx"\} [1-9]`, text)
	for _, runtime := range []string{"process_resident_memory_bytes", "go_goroutines", "go_memstats_heap_alloc_bytes"} {
		assert.Contains(t, text, runtime+" ", "the process's and the Go runtime's metrics")
	}
}
