//go:build !js

package commercetools_test

import (
	"context"
	"crypto/tls"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/checkout-connect/go-connector/commercetools"
	"github.com/checkout-connect/go-connector/commercetools/emulator"
	"github.com/checkout-connect/go-connector/internal/http1"
)

// barrier holds each arrival until size have arrived, then lets the whole round through.
type barrier struct {
	mu      sync.Mutex
	size, n int
	release chan struct{}
}

func (b *barrier) wait() {
	b.mu.Lock()
	ch := b.release
	if b.n++; b.n == b.size {
		close(ch)
		b.release, b.n = make(chan struct{}), 0
	}
	b.mu.Unlock()
	<-ch
}

// Rounds of concurrent calls reuse the connections of the first round: the default
// transport keeps one idle connection per caller, not two in all.
func TestConcurrentCallsReuseTheirConnections(t *testing.T) {
	emu, err := emulator.New(emulator.Options{ProjectKey: "test-project"})
	require.NoError(t, err)
	const callers, rounds = 8, 5
	gate := &barrier{size: callers, release: make(chan struct{})}
	handler := emu.Handler()
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodGet && strings.Contains(r.URL.Path, "/payments/") {
			gate.wait() // every caller holds a connection at once
		}
		handler.ServeHTTP(w, r)
	}))
	var dials atomic.Int64
	srv.Config.ConnState = func(_ net.Conn, state http.ConnState) {
		if state == http.StateNew {
			dials.Add(1)
		}
	}
	srv.Start()
	t.Cleanup(srv.Close)
	client, err := commercetools.New(commercetools.Config{ProjectKey: "test-project", ClientID: emu.ClientID(), ClientSecret: emu.ClientSecret(),
		AuthURL: srv.URL, APIURL: srv.URL, SessionURL: srv.URL})
	require.NoError(t, err)
	ctx := context.Background()
	p, _, err := client.CreatePayment(ctx, commercetools.PaymentDraft{AmountPlanned: eur(100)})
	require.NoError(t, err)
	before := dials.Load()

	for range rounds {
		var wg sync.WaitGroup
		for range callers {
			wg.Go(func() {
				_, err := client.GetPayment(ctx, p.ID)
				assert.NoError(t, err)
			})
		}
		wg.Wait()
	}
	assert.LessOrEqual(t, dials.Load()-before, int64(callers), "connections dialled for %d rounds of %d concurrent calls", rounds, callers)
}

// Over TLS the client speaks HTTP/1.1 even to a server that offers HTTP/2, which Go's
// default client would take up.
func TestCallsUseHTTP1OverTLS(t *testing.T) {
	emu, err := emulator.New(emulator.Options{ProjectKey: "test-project"})
	require.NoError(t, err)
	handler := emu.Handler()
	var protocols sync.Map
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		protocols.Store(r.Proto, true)
		handler.ServeHTTP(w, r)
	}))
	srv.EnableHTTP2 = true
	srv.StartTLS()
	t.Cleanup(srv.Close)

	resp, err := srv.Client().Get(srv.URL + "/test-project")
	require.NoError(t, err)
	_ = resp.Body.Close()
	require.Equal(t, "HTTP/2.0", resp.Proto, "the server offers HTTP/2")
	protocols.Clear()

	roots := srv.Client().Transport.(*http.Transport).TLSClientConfig.RootCAs
	lean := &http1.Transport{TLSClientConfig: &tls.Config{RootCAs: roots}}
	net := commercetools.NewNetTransport()
	net.TLSClientConfig.RootCAs = roots
	for _, transport := range []http.RoundTripper{lean, net} {
		createAndRead(t, emu, srv.URL, transport)
	}
	assert.Equal(t, []string{"HTTP/1.1"}, keys(&protocols))
}

// createAndRead creates a payment through a client of the emulator emu served at url,
// with transport (NewTransport's when nil), and reads it back.
func createAndRead(t *testing.T, emu *emulator.Emulator, url string, transport http.RoundTripper) {
	t.Helper()
	client, err := commercetools.New(commercetools.Config{ProjectKey: "test-project", ClientID: emu.ClientID(), ClientSecret: emu.ClientSecret(),
		AuthURL: url, APIURL: url, SessionURL: url, Transport: transport})
	require.NoError(t, err)
	p, _, err := client.CreatePayment(context.Background(), commercetools.PaymentDraft{AmountPlanned: eur(100)})
	require.NoError(t, err)
	_, err = client.GetPayment(context.Background(), p.ID)
	require.NoError(t, err)
}

// keys lists the keys of a set kept in a sync.Map.
func keys(set *sync.Map) []string {
	var out []string
	set.Range(func(k, _ any) bool { out = append(out, k.(string)); return true })
	return out
}

// The client asks for answers uncompressed, so that an API that compresses for the
// clients that ask, as commercetools does, sends them as they are.
func TestCallsAskForUncompressedAnswers(t *testing.T) {
	emu, err := emulator.New(emulator.Options{ProjectKey: "test-project", Gzip: true})
	require.NoError(t, err)
	handler := emu.Handler()
	var encodings sync.Map
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		encodings.Store(r.Header.Get("Accept-Encoding"), true)
		handler.ServeHTTP(&encodingRecorder{ResponseWriter: w, encodings: &encodings}, r)
	}))
	t.Cleanup(srv.Close)
	createAndRead(t, emu, srv.URL, nil)
	assert.Equal(t, []string{""}, keys(&encodings), "Accept-Encoding asked, Content-Encoding answered")
}

// encodingRecorder notes the Content-Encoding of an answer.
type encodingRecorder struct {
	http.ResponseWriter
	encodings *sync.Map
}

func (e *encodingRecorder) WriteHeader(status int) {
	e.encodings.Store(e.Header().Get("Content-Encoding"), true)
	e.ResponseWriter.WriteHeader(status)
}

// A call that gets no answer, or an answer whose body stops coming, ends at the client's
// time limit as unavailable, never hangs: on the default transport's connection deadline,
// and on a context deadline of the client's own with a transport that does not bound its
// round trips, or bounds them by a longer limit.
func TestCallsEndAtTheirTimeLimit(t *testing.T) {
	emu, err := emulator.New(emulator.Options{ProjectKey: "test-project"})
	require.NoError(t, err)
	hold := make(chan struct{})
	handler := emu.Handler()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch {
		case strings.HasSuffix(r.URL.Path, "/payments/silent"):
			<-hold // never answers
		case strings.HasSuffix(r.URL.Path, "/payments/stalled"):
			w.Header().Set("Content-Type", "application/json")
			w.Header().Set("Content-Length", "1000")
			_, _ = w.Write([]byte(`{"id":"stalled",`))
			w.(http.Flusher).Flush()
			<-hold // the rest of the body never comes
		default:
			handler.ServeHTTP(w, r)
		}
	}))
	t.Cleanup(srv.Close)
	t.Cleanup(func() { close(hold) }) // runs first: the held handlers return, then the server closes
	for name, transport := range map[string]http.RoundTripper{"default": nil, "net/http": commercetools.NewNetTransport(),
		"longer limit": &http1.Transport{Timeout: time.Hour}} {
		client, err := commercetools.New(commercetools.Config{ProjectKey: "test-project", ClientID: emu.ClientID(), ClientSecret: emu.ClientSecret(),
			AuthURL: srv.URL, APIURL: srv.URL, SessionURL: srv.URL, Timeout: 200 * time.Millisecond, Retries: -1, Transport: transport})
		require.NoError(t, err)
		for _, id := range []string{"silent", "stalled"} {
			ended := make(chan error, 1)
			go func() { _, err := client.GetPayment(context.Background(), id); ended <- err }()
			var err error
			select {
			case err = <-ended:
			case <-time.After(30 * time.Second): // a hang detector, far past the 200 ms limit
				t.Fatalf("%s: GET payment %s did not end", name, id)
			}
			require.Error(t, err, id)
			assert.ErrorIs(t, err, commercetools.ErrUnavailable, "%s: %s", name, id)
			assert.ErrorIs(t, err, context.DeadlineExceeded, "%s: %s", name, id)
		}
	}
}

// Where the environment names a proxy, the client goes through net/http's transport,
// which honours it (and NO_PROXY); otherwise through the lean HTTP/1.1 one.
func TestTransportFollowsTheEnvironmentsProxy(t *testing.T) {
	for _, name := range []string{"HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy"} {
		t.Setenv(name, "")
	}
	assert.IsType(t, &http1.Transport{}, commercetools.NewTransport())
	for _, name := range []string{"HTTPS_PROXY", "http_proxy"} {
		t.Setenv(name, "http://proxy.example:3128")
		assert.IsType(t, &http.Transport{}, commercetools.NewTransport(), name)
		t.Setenv(name, "")
	}
}
