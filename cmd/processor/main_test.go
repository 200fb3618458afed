package main

import (
	"context"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/checkout-connect/go-connector/api"
)

// syncBuffer is a log sink safe for the server goroutines and the test.
type syncBuffer struct {
	mu  sync.Mutex
	buf strings.Builder
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// start runs the processor as main does, on a free loopback port, and returns its base URL
// and a function that stops it and returns run's result.
func start(t *testing.T, vars map[string]string) (string, func() error, *syncBuffer) {
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
	logs := &syncBuffer{}
	addr := make(chan string, 1)
	done := make(chan error, 1)
	go func() { done <- run(ctx, getenv, logs, func(a string) { addr <- a }) }()
	select {
	case a := <-addr:
		stop := sync.OnceValue(func() error {
			cancel()
			return <-done
		})
		t.Cleanup(func() { _ = stop() })
		return "http://" + a, stop, logs
	case err := <-done:
		cancel()
		t.Fatalf("processor did not start: %v", err)
		return "", nil, nil
	}
}

func get(t *testing.T, url string) (*http.Response, []byte) {
	t.Helper()
	resp, err := http.Get(url)
	require.NoError(t, err)
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return resp, body
}

func TestRunServesHealthAndContractThenStops(t *testing.T) {
	base, stop, logs := start(t, nil)

	resp, body := get(t, base+"/health")
	assert.Equal(t, http.StatusOK, resp.StatusCode)
	assert.JSONEq(t, `{"status":"UP"}`, string(body))

	resp, body = get(t, base+"/openapi.yaml")
	assert.Equal(t, http.StatusOK, resp.StatusCode)
	assert.Equal(t, api.Spec, body)

	require.NoError(t, stop(), "graceful shutdown")
	assert.Contains(t, logs.String(), `"msg":"processor listening"`)
	assert.Contains(t, logs.String(), `"mode":"local"`)
	assert.Contains(t, logs.String(), `"msg":"stopped"`)

	_, err := http.Get(base + "/health")
	assert.Error(t, err, "nothing listens after the stop")
}

func TestRunRefusesABadConfiguration(t *testing.T) {
	err := run(context.Background(), func(name string) string {
		return map[string]string{"PORT": "nope", "CTP_PROJECT_KEY": "Bad Key"}[name]
	}, io.Discard, nil)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "PORT")
	assert.Contains(t, err.Error(), "CTP_PROJECT_KEY")
}

func TestSecretsAreNotLogged(t *testing.T) {
	base, stop, logs := start(t, map[string]string{"CTP_CLIENT_ID": "client", "CTP_CLIENT_SECRET": "top-secret-value"})
	req, err := http.NewRequest(http.MethodGet, base+"/operations/config", nil)
	require.NoError(t, err)
	req.Header.Set("x-session-id", "session-secret-id")
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	require.NoError(t, resp.Body.Close())
	require.NoError(t, stop())

	assert.Contains(t, logs.String(), `"mode":"commercetools"`)
	assert.NotContains(t, logs.String(), "top-secret-value")
	assert.NotContains(t, logs.String(), "session-secret-id")
}
